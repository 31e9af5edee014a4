/**
 * The cluster seam: what every target hands to the rest of the program. Everything downstream
 * of the switch in ./createPlatform.ts sees only these types, never a cloud SDK.
 */
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { Cloud } from "../../model/targets";

/** Credentials the image component uses to push (short-lived where the cloud allows it). */
export interface RegistryAuth {
    readonly address: string;
    readonly username: string;
    readonly password: string;
}

/** Where images go: one repository per service, and how to log in to push. */
export interface Registry {
    /** Registry address users see (ECR registry host, ACR login server, local host:port). */
    readonly url: pulumi.Input<string>;
    /** Repository (without tag) for each service name. */
    readonly repositories: Readonly<Record<string, pulumi.Input<string>>>;
    /** Push credentials; undefined when the registry takes anonymous pushes (the local one). */
    readonly auth?: pulumi.Input<RegistryAuth>;
}

/** How traffic from outside reaches a public service. */
export type WayIn =
    | {
          readonly kind: "loadBalancer";
          /** Annotations the cloud's load balancer integration reads. */
          readonly annotations: Readonly<Record<string, string>>;
          /** Which status field carries the address users call. */
          readonly address: "hostname" | "ip";
          /** Source ranges allowed in; empty keeps the load balancer internal. */
          readonly sourceRanges: readonly string[];
      }
    | {
          readonly kind: "nodePort";
          /** Address at which the node answers. */
          readonly nodeAddress: string;
          /** Node port of the first public service; the next ones follow. */
          readonly nodePortBase: number;
      };

/** Who a NetworkPolicy must let the app reach: pods in the namespace, or addresses outside the cluster. */
export type NetworkPeer =
    | { readonly kind: "pods"; readonly labels: Readonly<Record<string, string>>; readonly port: number }
    | { readonly kind: "cidrs"; readonly cidrs: readonly string[]; readonly port: number };

/** How to reach Redis. */
export interface RedisEndpoint {
    readonly host: pulumi.Input<string>;
    readonly port: pulumi.Input<number>;
    readonly password: pulumi.Output<string>;
    readonly tls: boolean;
    /** Where it lives, for the app's egress NetworkPolicy. */
    readonly peer: NetworkPeer;
}

/** How to reach PostgreSQL. */
export interface PostgresEndpoint {
    readonly host: pulumi.Input<string>;
    readonly port: pulumi.Input<number>;
    readonly database: pulumi.Input<string>;
    readonly user: pulumi.Input<string>;
    readonly password: pulumi.Output<string>;
    readonly sslMode: "disable" | "require" | "verify-full";
    /** Where it lives, for the app's egress NetworkPolicy. */
    readonly peer: NetworkPeer;
}

/** Connection facts of Redis and PostgreSQL, the same shape in-platform, managed or external. */
export interface DataEndpoints {
    readonly redis: RedisEndpoint;
    readonly postgres: PostgresEndpoint;
}

/** A Kubernetes cluster, whatever made it. */
export interface KubernetesPlatform {
    readonly kind: "kubernetes";
    readonly cloud: Exclude<Cloud, "swarm">;
    /** The one Kubernetes provider every Kubernetes resource uses. */
    readonly provider: k8s.Provider;
    /** Kubeconfig of the cluster, always secret. */
    readonly kubeconfig: pulumi.Output<string>;
    readonly clusterName: pulumi.Output<string>;
    readonly registry: Registry;
    readonly wayIn: WayIn;
    /** StorageClass for data volumes; undefined uses the cluster default. */
    readonly storageClassName?: string;
    /** Managed Redis and PostgreSQL, when the cloud provides them; otherwise they run in the cluster. */
    readonly managedData?: DataEndpoints;
    /** Resources that must exist before workloads are scheduled (node pools, add-ons). */
    readonly workloadDependencies: readonly pulumi.Resource[];
}

/** A Docker Swarm reached through its Engine API. */
export interface SwarmPlatform {
    readonly kind: "swarm";
    readonly cloud: "swarm";
    /** Docker endpoint of a manager (unix://, tcp:// or ssh://). */
    readonly engineHost: string;
    readonly clusterName: pulumi.Output<string>;
    readonly registry: Registry;
    /** Address and first published port at which public services answer. */
    readonly publicAddress: string;
    readonly publishedPortBase: number;
}

/** What the switch returns: the one thing the rest of the program builds on. */
export type Platform = KubernetesPlatform | SwarmPlatform;

/** Makes a `switch` exhaustive: adding a target without handling it fails type-checking. */
export function assertNever(value: never): never {
    throw new Error(`unhandled case: ${JSON.stringify(value)}`);
}
