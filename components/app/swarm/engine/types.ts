/**
 * The subset of Docker Engine API v1.41 types this program sends and reads (field names as the
 * API spells them). Durations are nanoseconds, CPU is NanoCPUs, memory is bytes.
 */

/** A secret file in a task's /run/secrets. */
export interface SecretReference {
    readonly File: { readonly Name: string; readonly UID: string; readonly GID: string; readonly Mode: number };
    readonly SecretID: string;
    readonly SecretName: string;
}

/** A mount of a task's container. */
export interface Mount {
    readonly Type: "volume" | "tmpfs";
    readonly Target: string;
    readonly Source?: string;
    readonly ReadOnly?: boolean;
    readonly TmpfsOptions?: { readonly SizeBytes?: number; readonly Mode?: number };
}

/** A container health check. */
export interface HealthConfig {
    readonly Test: readonly string[];
    readonly Interval: number;
    readonly Timeout: number;
    readonly Retries: number;
    readonly StartPeriod: number;
}

/** CPU and memory of a task. */
export interface ResourceAmounts {
    readonly NanoCPUs: number;
    readonly MemoryBytes: number;
}

/** A rolling update or rollback policy. */
export interface UpdatePolicy {
    readonly Parallelism: number;
    readonly Delay: number;
    readonly FailureAction: "pause" | "continue" | "rollback";
    readonly Monitor: number;
    readonly MaxFailureRatio: number;
    readonly Order: "stop-first" | "start-first";
}

/** A published port. */
export interface PortConfig {
    readonly Protocol: "tcp" | "udp";
    readonly TargetPort: number;
    readonly PublishedPort: number;
    readonly PublishMode: "ingress" | "host";
}

/** A swarm service's spec (POST /services/create, /services/{id}/update). */
export interface ServiceSpec {
    readonly Name: string;
    readonly Labels: Readonly<Record<string, string>>;
    readonly TaskTemplate: {
        readonly ContainerSpec: {
            readonly Image: string;
            readonly Labels?: Readonly<Record<string, string>>;
            readonly Args?: readonly string[];
            readonly Env: readonly string[];
            readonly User?: string;
            readonly ReadOnly: boolean;
            readonly Mounts: readonly Mount[];
            readonly StopGracePeriod: number;
            readonly HealthCheck: HealthConfig;
            readonly Secrets: readonly SecretReference[];
            readonly Init?: boolean;
        };
        readonly Resources: { readonly Limits: ResourceAmounts; readonly Reservations: ResourceAmounts };
        readonly RestartPolicy: {
            readonly Condition: "none" | "on-failure" | "any";
            readonly Delay: number;
            readonly MaxAttempts: number;
            readonly Window: number;
        };
        readonly Placement: { readonly Constraints: readonly string[] };
        readonly Networks: readonly { readonly Target: string; readonly Aliases?: readonly string[] }[];
        readonly ForceUpdate?: number;
    };
    readonly Mode: { readonly Replicated: { readonly Replicas: number } };
    readonly UpdateConfig: UpdatePolicy;
    readonly RollbackConfig: UpdatePolicy;
    readonly EndpointSpec: { readonly Mode: "vip" | "dnsrr"; readonly Ports: readonly PortConfig[] };
}

/** GET /services/{id}, the fields read back. */
export interface ServiceInfo {
    readonly ID: string;
    readonly Version: { readonly Index: number };
    readonly Spec: ServiceSpec;
    readonly UpdateStatus?: { readonly State?: string; readonly Message?: string };
}

/** GET /tasks, the fields read back. */
export interface TaskInfo {
    readonly ID: string;
    readonly DesiredState: string;
    readonly Status: { readonly State: string; readonly Err?: string; readonly Message?: string };
    readonly Spec?: { readonly ContainerSpec?: { readonly Image?: string } };
}

/** POST /networks/create. */
export interface NetworkCreate {
    readonly Name: string;
    readonly Driver: "overlay";
    readonly Attachable: boolean;
    readonly CheckDuplicate: boolean;
    readonly Options: Readonly<Record<string, string>>;
    readonly Labels: Readonly<Record<string, string>>;
}
