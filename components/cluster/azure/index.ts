/** The `azure` target behind the platform seam: the cluster component and its pure helpers. */
export { AzureCluster, azureWayIn, INTERNAL_LB_ANNOTATION, type AzureClusterArgs } from "./cluster";
