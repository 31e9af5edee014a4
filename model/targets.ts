/**
 * The target blocks as the program's components consume them: what a stack says about the
 * platform it runs on, with every default applied. Pure: no Pulumi, no zod. The config edge
 * (stacks/schema) produces exactly these shapes (stacks/schema/modelCheck.ts proves it at
 * compile time); the config reference says what each key means, its default and its range.
 */
import type { ClusterAutoscalerExpander } from "./clusterAutoscaler";

/** Every target the program can deploy to; `platform:cloud` picks one. */
export const CLOUDS = ["local", "aws", "azure", "swarm"] as const;

/** A target: local (an existing or the embedded cluster), aws (EKS), azure (AKS) or swarm. */
export type Cloud = (typeof CLOUDS)[number];

/** Request and limit of one resource, as Kubernetes quantities ("250m", "256Mi"). */
export interface ResourceRange {
    readonly request: string;
    readonly limit: string;
}

/** CPU and memory of a data service in the platform, and the size of its volume. */
export interface InPlatformDataSize {
    /** Size of the volume, a Kubernetes quantity ("1Gi"). */
    readonly storage: string;
    /** CPU request and limit, one quantity for both ("250m"). */
    readonly cpu: string;
    /** Memory request and limit, one quantity for both ("256Mi"). */
    readonly memory: string;
}

/** A PostgreSQL the stack does not run: the app connects to it with the `postgresPassword` secret. */
export interface ExternalPostgres {
    readonly host: string;
    readonly port: number;
    readonly database: string;
    readonly user: string;
    readonly sslMode: "disable" | "require" | "verify-full";
}

/** `platform:data`: the data services when the platform runs them (local and Swarm). */
export interface DataSettings {
    readonly redis: InPlatformDataSize;
    readonly postgres: InPlatformDataSize & {
        /** Database the app uses (a PostgreSQL identifier). */
        readonly database: string;
        /** When set, PostgreSQL is this server and none is run. */
        readonly external?: ExternalPostgres | undefined;
    };
}

/** `platform:local`: an existing cluster, or the embedded one `npm run up` starts. */
export interface LocalSettings {
    /** Path of the kubeconfig, as written in config ("~/" and relative paths allowed). */
    readonly kubeconfig: string;
    /** Context of the kubeconfig to use; empty: its current context. */
    readonly context: string;
    /** Registry the images are pushed to and the node pulls from ("127.0.0.1:5000"). */
    readonly registry: string;
    /** Address at which node ports answer, used for the app URL. */
    readonly nodeAddress: string;
    /** Node port of the first public service; the next ones follow. */
    readonly nodePortBase: number;
    /** StorageClass of the data services' volumes; empty: the cluster's default. */
    readonly storageClass: string;
}

/** A local target with its kubeconfig path resolved to an absolute path. */
export type LocalTarget = LocalSettings & { readonly kubeconfigPath: string };

/** `platform:aws.clusterAutoscaler`: how the Kubernetes Cluster Autoscaler resizes the node group. */
export interface ClusterAutoscalerSettings {
    /** Which node group grows when several could take a pending pod. */
    readonly expander: ClusterAutoscalerExpander;
    /** Minutes a node must be unneeded before it is removed. */
    readonly scaleDownUnneededMinutes: number;
    /** Minutes after a scale-up before scale-down is considered again. */
    readonly scaleDownDelayAfterAddMinutes: number;
    /** Image with tag and digest; empty: the program's pin for kubernetesVersion (model/clusterAutoscaler.ts). */
    readonly image: string;
}

/** Node pool bounds shared by EKS and AKS: min ≤ desired ≤ max. */
export interface ClusterSize {
    readonly minClusterSize: number;
    readonly maxClusterSize: number;
    /** Node count at creation; the autoscaler owns it afterwards. */
    readonly desiredClusterSize: number;
}

/** `platform:aws`: EKS in a new VPC, ECR, ElastiCache Redis and RDS PostgreSQL. */
export interface AwsSettings extends ClusterSize {
    readonly region: string;
    /** Availability zones the VPC spans: 2 or 3. */
    readonly availabilityZones: number;
    readonly vpcNetworkCidr: string;
    readonly natGateways: "single" | "perZone";
    /** Kubernetes minor version, "1.33". */
    readonly kubernetesVersion: string;
    readonly eksNodeInstanceType: string;
    readonly nodeDiskSizeGb: number;
    readonly endpointPublicAccessCidrs: readonly string[];
    readonly adminRoleArns: readonly string[];
    readonly logRetentionDays: number;
    /** Content-tagged images ECR keeps per repository. */
    readonly ecrKeepImages: number;
    /** EKS add-on versions ("v1.19.2-eksbuild.1"). */
    readonly addons: {
        readonly vpcCni: string;
        readonly coreDns: string;
        readonly kubeProxy: string;
        readonly ebsCsi: string;
        readonly metricsServer: string;
    };
    readonly clusterAutoscaler: ClusterAutoscalerSettings;
    readonly redis: { readonly nodeType: string; readonly multiAz: boolean };
    readonly postgres: {
        readonly instanceClass: string;
        readonly engineVersion: string;
        readonly allocatedStorage: number;
        readonly multiAz: boolean;
        readonly deletionProtection: boolean;
        readonly backupRetentionDays: number;
    };
}

/** Azure regions the program is tested against (each offers availability zones). */
export type AzureLocation =
    | "australiaeast"
    | "brazilsouth"
    | "canadacentral"
    | "centralindia"
    | "centralus"
    | "eastasia"
    | "eastus"
    | "eastus2"
    | "francecentral"
    | "germanywestcentral"
    | "japaneast"
    | "koreacentral"
    | "northeurope"
    | "norwayeast"
    | "southafricanorth"
    | "southcentralus"
    | "southeastasia"
    | "swedencentral"
    | "switzerlandnorth"
    | "uaenorth"
    | "uksouth"
    | "westeurope"
    | "westus2"
    | "westus3";

/** Azure's service tiers for the registry and Azure Cache for Redis. */
export type AzureSku = "Basic" | "Standard" | "Premium";

/** `platform:azure`: AKS in a new VNet, ACR, Azure Cache for Redis and PostgreSQL Flexible Server. */
export interface AzureSettings extends ClusterSize {
    readonly location: AzureLocation;
    readonly kubernetesVersion: string;
    readonly controlPlaneTier: "Free" | "Standard" | "Premium";
    readonly availabilityZones: readonly ("1" | "2" | "3")[];
    readonly vnetCidr: string;
    readonly nodeSubnetCidr: string;
    readonly podSubnetCidr: string;
    readonly dataSubnetCidr: string;
    readonly endpointSubnetCidr: string;
    readonly serviceCidr: string;
    readonly networkPolicy: "azure" | "cilium";
    readonly systemPool: { readonly vmSize: string; readonly count: number };
    readonly nodeVmSize: string;
    readonly authorizedIpRanges: readonly string[];
    readonly adminGroupObjectIds: readonly string[];
    readonly maintenanceWindow: {
        readonly day: "Monday" | "Tuesday" | "Wednesday" | "Thursday" | "Friday" | "Saturday" | "Sunday";
        readonly startHour: number;
        readonly durationHours: number;
    };
    readonly logRetentionDays: number;
    readonly registrySku: AzureSku;
    readonly redis: { readonly sku: AzureSku; readonly capacity: number };
    readonly postgres: {
        readonly skuName: string;
        readonly tier: "Burstable" | "GeneralPurpose" | "MemoryOptimized";
        readonly version: "14" | "15" | "16" | "17";
        readonly storageSizeGb: number;
        readonly highAvailability: boolean;
        readonly backupRetentionDays: number;
    };
}

/** `platform:swarm`: a Docker Swarm reached through the Docker Engine API. */
export interface SwarmSettings {
    /** Engine API of a manager node: unix:// or tcp://. */
    readonly host: string;
    readonly registry: string;
    /** Published port of the first public service; the next ones follow. */
    readonly publishedPortBase: number;
    /** Address at which published ports answer, used for the app URL. */
    readonly publicAddress: string;
    /** mesh: Swarm's ingress routing mesh; proxy: the program's TCP proxy in host mode. */
    readonly routing: "mesh" | "proxy";
    /** Placement constraint of the data services and the proxy. */
    readonly dataConstraint: string;
    readonly convergeTimeoutSeconds: number;
}
