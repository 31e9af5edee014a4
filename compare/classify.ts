/**
 * Sorts registered resources into the kinds the comparison counts, from type tokens only
 * (the resource's own type and its parent's), so the same rule holds on every target.
 */

/** The kinds a resource is counted under, in report order. */
export const KINDS = ["network", "cluster", "node pools", "registry", "data", "app", "other"] as const;
export type Kind = (typeof KINDS)[number];

/** Resource counts per kind; every kind present (0 when none). */
export type KindCounts = Record<Kind, number>;

// Parents whose children all serve the data services, whatever their own type (a StatefulSet,
// a Swarm service, a password, a security group of the database).
const DATA_PARENT = /^platform:data:|^platform:cluster:(AwsManagedData|AzureData)$/;

// Parents whose children are the cluster's own controllers (Kubernetes objects in kube-system,
// their IAM role), not the app.
const CLUSTER_PARENT = /^platform:cluster:(ClusterAutoscaler|VpaRecommender)$/;

// First match wins: node pools and data before the broader cluster and network patterns.
const TYPE_RULES: readonly (readonly [RegExp, Kind])[] = [
    [
        /^aws:eks\/nodeGroup:|^aws:ec2\/launchTemplate:|^azure-native:containerservice:AgentPool$|^platform:cluster:EksNodeGroup$/,
        "node pools",
    ],
    [
        /^aws:(elasticache|rds)\/|^azure-native:(redis|dbforpostgresql|cache):|^kubernetes:apps\/v1:StatefulSet$|^pulumi-nodejs:dynamic\/platform:SwarmVolume$|^random:index\/randomPassword:RandomPassword$/,
        "data",
    ],
    [
        /^aws:ecr\/|^azure-native:containerregistry:|^docker-build:|^platform:image:|^platform:cluster:(EcrRegistry|AzureRegistry)$/,
        "registry",
    ],
    [
        /^aws:(ec2|vpc)\/|^azure-native:(network|privatedns):|^kubernetes:networking\.k8s\.io\/|^pulumi-nodejs:dynamic\/platform:SwarmNetwork$|^platform:app:SwarmNetworks$|^platform:cluster:(AwsNetwork|AzureNetwork)$/,
        "network",
    ],
    [
        /^aws:(eks|iam|kms|cloudwatch)\/|^azure-native:(containerservice|managedidentity|authorization|monitor|operationalinsights|resources|insights):|^kubernetes:storage\.k8s\.io\/|^platform:cluster:|^pulumi:providers:/,
        "cluster",
    ],
    [/^kubernetes:|^platform:app:|^pulumi-nodejs:dynamic\/platform:(SwarmService|SwarmSecret)$/, "app"],
];

/** The kind of a resource of type `type` whose parent has type `parentType` (default "other"). */
export function classify(type: string, parentType = ""): Kind {
    if (DATA_PARENT.test(parentType)) return "data";
    if (CLUSTER_PARENT.test(parentType)) return "cluster";
    for (const [pattern, kind] of TYPE_RULES) if (pattern.test(type)) return kind;
    return "other";
}

/** Zero counts for every kind. */
export function emptyCounts(): KindCounts {
    return { network: 0, cluster: 0, "node pools": 0, registry: 0, data: 0, app: 0, other: 0 };
}
