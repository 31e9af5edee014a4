/** The `aws` target behind the platform seam: the cluster component and its pure helpers. */
export { AwsCluster, awsWayIn, STORAGE_CLASS, type AwsClusterArgs } from "./cluster";
