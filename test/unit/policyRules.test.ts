/**
 * Every rule of the policy pack, table-driven: a compliant baseline per area passes the whole
 * pack, and each failing fixture (the baseline with one thing wrong) fires exactly the rules
 * it names. Fixtures go through the pack's own CrossGuard policies via the mock runner.
 */
import * as assert from "assert";
import { RULES } from "../../policy/catalog";
import { costBudget, costEstimate } from "../../policy/rules/cost";
import { fakeId, Registration } from "../../harness/mocks";
import { applyPack, inputState, Violation } from "../../harness/policyRunner";

/** Rules tested with a budget and whole stacks in policyCost.test.ts: the cost report (fires on every stack) and the budget gate (needs policy config). */
const TESTED_ELSEWHERE: readonly string[] = [costEstimate.name, costBudget.name];

/** A report (the cost estimate) informs on every run; what a fixture fires is everything else. */
const gating = (v: Violation) => !v.advisory || v.waived;

type Inputs = Record<string, unknown>;

const K8S_PROVIDER = "urn:pulumi:test::platform::pulumi:providers:kubernetes::cluster-k8s::provider-id";
const AWS_PROVIDER = "urn:pulumi:test::platform::pulumi:providers:aws::aws::provider-id";
const AZURE_PROVIDER = "urn:pulumi:test::platform::pulumi:providers:azure-native::azure::provider-id";

function reg(type: string, name: string, inputs: Inputs, provider?: string): Registration {
    const pkg = type.split(":")[0];
    const defaultProvider = pkg === "kubernetes" ? K8S_PROVIDER : pkg === "aws" ? AWS_PROVIDER : AZURE_PROVIDER;
    return {
        type,
        name,
        urn: `urn:pulumi:test::platform::${type}::${name}`,
        parentType: "pulumi:pulumi:Stack",
        provider: provider ?? defaultProvider,
        custom: true,
        inputs,
        wireInputs: inputs,
        aliases: [],
        secretOutputs: [],
    };
}

const DIGEST = `sha256:${"a".repeat(64)}`;

function hardenedContainer(name: string, port: number): Inputs {
    return {
        name,
        image: `registry.example.com/${name}@${DIGEST}`,
        ports: [{ name: "http", containerPort: port, protocol: "TCP" }],
        env: [
            { name: "PORT", value: String(port) },
            { name: "DB_PASSWORD_FILE", value: "/run/secrets/db-password" },
        ],
        resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "250m", memory: "128Mi" } },
        volumeMounts: [
            { name: "tmp", mountPath: "/tmp" },
            { name: "secrets", mountPath: "/run/secrets", readOnly: true },
        ],
        livenessProbe: { httpGet: { path: "/healthz", port: "http" } },
        readinessProbe: { httpGet: { path: "/readyz", port: "http" } },
        securityContext: {
            runAsNonRoot: true,
            runAsUser: 10001,
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            privileged: false,
            capabilities: { drop: ["ALL"] },
            seccompProfile: { type: "RuntimeDefault" },
        },
    };
}

function podTemplate(app: string, port: number): Inputs {
    return {
        metadata: { labels: { app } },
        spec: {
            automountServiceAccountToken: false,
            securityContext: { runAsNonRoot: true, runAsUser: 10001, fsGroup: 10001, seccompProfile: { type: "RuntimeDefault" } },
            topologySpreadConstraints: [
                {
                    maxSkew: 1,
                    topologyKey: "kubernetes.io/hostname",
                    whenUnsatisfiable: "ScheduleAnyway",
                    labelSelector: { matchLabels: { app } },
                },
            ],
            containers: [hardenedContainer(app, port)],
            volumes: [
                { name: "tmp", emptyDir: { sizeLimit: "64Mi" } },
                { name: "secrets", secret: { secretName: `${app}-auth`, defaultMode: 0o440 } },
            ],
        },
    };
}

function withServiceAccount(template: Inputs, account: string): Inputs {
    return { ...template, spec: { ...(template.spec as Inputs), serviceAccountName: account } };
}

const VPA = "kubernetes:autoscaling.k8s.io/v1:VerticalPodAutoscaler";

/** A compliant app namespace: default deny, an autoscaled web Deployment with PDB and a recommending VPA, a restricted LoadBalancer, a one-replica StatefulSet. */
function kubernetesBaseline(): Registration[] {
    return [
        reg("kubernetes:core/v1:Namespace", "app-ns", { metadata: { name: "app" } }),
        reg("kubernetes:networking.k8s.io/v1:NetworkPolicy", "app-default-deny", {
            metadata: { name: "default-deny", namespace: "app" },
            spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
        }),
        reg("kubernetes:apps/v1:Deployment", "web", {
            metadata: { name: "web", namespace: "app" },
            spec: { selector: { matchLabels: { app: "web" } }, template: withServiceAccount(podTemplate("web", 8080), "web") },
        }),
        reg("kubernetes:autoscaling/v2:HorizontalPodAutoscaler", "web-hpa", {
            metadata: { name: "web", namespace: "app" },
            spec: { scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "web" }, minReplicas: 2, maxReplicas: 5 },
        }),
        reg(VPA, "web-vpa", {
            apiVersion: "autoscaling.k8s.io/v1",
            kind: "VerticalPodAutoscaler",
            metadata: { name: "web", namespace: "app" },
            spec: {
                targetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "web" },
                updatePolicy: { updateMode: "Off" },
                resourcePolicy: { containerPolicies: [{ containerName: "web", controlledResources: ["cpu", "memory"] }] },
            },
        }),
        reg("kubernetes:policy/v1:PodDisruptionBudget", "web-pdb", {
            metadata: { name: "web", namespace: "app" },
            spec: { maxUnavailable: 1, unhealthyPodEvictionPolicy: "AlwaysAllow", selector: { matchLabels: { app: "web" } } },
        }),
        reg("kubernetes:core/v1:ServiceAccount", "web-sa", {
            metadata: { name: "web", namespace: "app" },
            automountServiceAccountToken: false,
        }),
        reg("kubernetes:core/v1:Service", "web-service", {
            metadata: {
                name: "web",
                namespace: "app",
                annotations: { "service.beta.kubernetes.io/aws-load-balancer-scheme": "internet-facing" },
            },
            spec: {
                type: "LoadBalancer",
                selector: { app: "web" },
                ports: [{ port: 80, targetPort: "http" }],
                loadBalancerSourceRanges: ["203.0.113.0/24"],
            },
        }),
        reg("kubernetes:apps/v1:StatefulSet", "redis", {
            metadata: { name: "redis", namespace: "app" },
            spec: { replicas: 1, serviceName: "redis", selector: { matchLabels: { app: "redis" } }, template: podTemplate("redis", 6379) },
        }),
        reg("kubernetes:core/v1:Secret", "redis-auth", {
            metadata: { name: "redis-auth", namespace: "app" },
            type: "Opaque",
            stringData: { password: "from-a-secret-output" },
        }),
    ];
}

const SUBNET = "aws:ec2/subnet:Subnet";

function awsBaseline(): Registration[] {
    return [
        reg(SUBNET, "private-0", { vpcId: "vpc-1", cidrBlock: "10.0.0.0/18", mapPublicIpOnLaunch: false }),
        reg(SUBNET, "public-0", { vpcId: "vpc-1", cidrBlock: "10.0.192.0/21", mapPublicIpOnLaunch: false }),
        reg("aws:eks/cluster:Cluster", "cluster", {
            name: "platform",
            version: "1.33",
            vpcConfig: {
                subnetIds: [fakeId(SUBNET, "private-0")],
                endpointPrivateAccess: true,
                endpointPublicAccess: true,
                publicAccessCidrs: ["203.0.113.0/24"],
            },
            enabledClusterLogTypes: ["api", "audit", "authenticator"],
            encryptionConfig: { provider: { keyArn: "arn:aws:kms:eu-west-1:123456789012:key/1" }, resources: ["secrets"] },
        }),
        reg("aws:eks/addon:Addon", "metrics-server", {
            clusterName: "platform",
            addonName: "metrics-server",
            addonVersion: "v0.8.0-eksbuild.1",
        }),
        reg("aws:eks/nodeGroup:NodeGroup", "nodes", {
            clusterName: "platform",
            subnetIds: [fakeId(SUBNET, "private-0")],
            scalingConfig: { minSize: 2, maxSize: 5, desiredSize: 2 },
        }),
        reg("aws:ecr/repository:Repository", "web-repo", {
            name: "platform/web",
            imageTagMutability: "IMMUTABLE",
            imageScanningConfiguration: { scanOnPush: true },
            encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: "arn:aws:kms:eu-west-1:123456789012:key/1" }],
        }),
        reg("aws:rds/instance:Instance", "postgres", {
            engine: "postgres",
            storageEncrypted: true,
            publiclyAccessible: false,
            backupRetentionPeriod: 7,
            autoMinorVersionUpgrade: true,
            copyTagsToSnapshot: true,
        }),
        reg("aws:elasticache/replicationGroup:ReplicationGroup", "elasticache", {
            engine: "redis",
            transitEncryptionEnabled: true,
            atRestEncryptionEnabled: true,
            authToken: "from-a-secret-output",
            kmsKeyId: "arn:aws:kms:eu-west-1:123456789012:key/1",
        }),
    ];
}

const AKS = "azure-native:containerservice:ManagedCluster";
const ACR = "azure-native:containerregistry:Registry";
const ROLE_ASSIGNMENT = "azure-native:authorization:RoleAssignment";
const ACR_PULL =
    "/subscriptions/11111111-2222-4333-8444-555555555555/providers/Microsoft.Authorization/roleDefinitions/7f951dda-4ed3-4680-a7ca-43fe172d538d";

function azureBaseline(): Registration[] {
    return [
        reg(AKS, "aks", {
            enableRBAC: true,
            aadProfile: { managed: true, enableAzureRBAC: true },
            disableLocalAccounts: true,
            oidcIssuerProfile: { enabled: true },
            securityProfile: { workloadIdentity: { enabled: true } },
            networkProfile: { networkPlugin: "azure", networkPolicy: "cilium" },
            apiServerAccessProfile: { authorizedIPRanges: ["198.51.100.0/24"] },
            autoUpgradeProfile: { upgradeChannel: "patch" },
            agentPoolProfiles: [
                {
                    name: "system",
                    mode: "System",
                    type: "VirtualMachineScaleSets",
                    enableNodePublicIP: false,
                    nodeTaints: ["CriticalAddonsOnly=true:NoSchedule"],
                },
            ],
            addonProfiles: {
                omsagent: { enabled: true, config: { logAnalyticsWorkspaceResourceID: "/workspaces/logs" } },
                azureKeyvaultSecretsProvider: { enabled: true, config: { enableSecretRotation: "true" } },
            },
            // An output in real life; fixtures carry it as if the cluster existed.
            identityProfile: { kubeletidentity: { objectId: "kubelet-object-id" } },
        }),
        reg(ACR, "acr", { adminUserEnabled: false, anonymousPullEnabled: false, sku: { name: "Standard" } }),
        reg("azure-native:containerservice:AgentPool", "user-pool", {
            agentPoolName: "user",
            mode: "User",
            type: "VirtualMachineScaleSets",
            enableNodePublicIP: false,
        }),
        reg(ROLE_ASSIGNMENT, "acr-pull", {
            principalId: "kubelet-object-id",
            principalType: "ServicePrincipal",
            roleDefinitionId: ACR_PULL,
            scope: fakeId(ACR, "acr"),
        }),
        reg("azure-native:redis:Redis", "redis-cache", {
            enableNonSslPort: false,
            minimumTlsVersion: "1.2",
            publicNetworkAccess: "Disabled",
        }),
        reg("azure-native:dbforpostgresql:Server", "postgres-server", {
            network: { delegatedSubnetResourceId: "/subnets/data", publicNetworkAccess: "Disabled" },
        }),
    ];
}

/** The baselines together: every rule has resources to look at. */
function baseline(): Registration[] {
    return [...kubernetesBaseline(), ...awsBaseline(), ...azureBaseline()];
}

type Edit = (inputs: Inputs) => void;

/** The baseline with the inputs of the resource named `name` changed (on a deep copy). */
function editing(name: string, edit: Edit): Registration[] {
    const registrations = baseline().map((r) => ({ ...r, inputs: structuredClone(r.inputs) }));
    const target = registrations.find((r) => r.name === name);
    if (!target) throw new Error(`no fixture resource ${name}`);
    edit(target.inputs);
    return registrations;
}

function obj(value: unknown): Inputs {
    if (value === null || typeof value !== "object") throw new Error("fixture path is not an object");
    return value as Inputs;
}

/** The web Deployment's pod spec and its first container, for edits. */
function webPod(edit: (pod: Inputs, container: Inputs) => void): Registration[] {
    return editing("web", (inputs) => {
        const pod = obj(obj(obj(inputs.spec).template).spec);
        const containers = pod.containers as Inputs[];
        edit(pod, containers[0]);
    });
}

function securityContext(container: Inputs): Inputs {
    return obj(container.securityContext);
}

interface Case {
    readonly rule: string;
    readonly title: string;
    readonly expect: "pass" | "fail";
    /** Other rules the same defect rightly fires (the assertion is on the exact set). */
    readonly alsoFires?: readonly string[];
    readonly registrations: () => Registration[];
}

const fail = (rule: string, title: string, registrations: () => Registration[], alsoFires: readonly string[] = []): Case => ({
    rule,
    title,
    expect: "fail",
    registrations,
    alsoFires,
});
const pass = (rule: string, title: string, registrations: () => Registration[]): Case => ({ rule, title, expect: "pass", registrations });

const CASES: readonly Case[] = [
    // Pod Security
    pass("k8s-run-as-non-root", "runAsNonRoot on the pod covers containers that do not repeat it", () =>
        webPod((_, c) => delete securityContext(c).runAsNonRoot),
    ),
    fail("k8s-run-as-non-root", "neither pod nor container sets runAsNonRoot", () =>
        webPod((pod, c) => {
            delete obj(pod.securityContext).runAsNonRoot;
            delete securityContext(c).runAsNonRoot;
        }),
    ),
    fail("k8s-run-as-non-root", "a container runs as UID 0", () => webPod((_, c) => (securityContext(c).runAsUser = 0)), ["k8s-high-uid"]),
    pass("k8s-no-privilege-escalation", "allowPrivilegeEscalation: false on every container", baseline),
    fail("k8s-no-privilege-escalation", "allowPrivilegeEscalation left at its default", () =>
        webPod((_, c) => delete securityContext(c).allowPrivilegeEscalation),
    ),
    fail("k8s-no-privilege-escalation", "an init container may escalate", () =>
        webPod(
            (pod, c) =>
                (pod.initContainers = [
                    { ...structuredClone(c), name: "migrate", securityContext: { ...securityContext(c), allowPrivilegeEscalation: true } },
                ]),
        ),
    ),
    pass("k8s-drop-all-capabilities", "drop ALL and add back NET_BIND_SERVICE", () =>
        webPod((_, c) => (securityContext(c).capabilities = { drop: ["ALL"], add: ["NET_BIND_SERVICE"] })),
    ),
    fail("k8s-drop-all-capabilities", "capabilities not dropped", () => webPod((_, c) => delete securityContext(c).capabilities)),
    fail("k8s-drop-all-capabilities", "NET_ADMIN added back", () =>
        webPod((_, c) => (securityContext(c).capabilities = { drop: ["ALL"], add: ["NET_ADMIN"] })),
    ),
    pass("k8s-seccomp-runtime-default", "Localhost profile on the pod", () =>
        webPod((pod, c) => {
            obj(pod.securityContext).seccompProfile = { type: "Localhost", localhostProfile: "profiles/web.json" };
            delete securityContext(c).seccompProfile;
        }),
    ),
    fail("k8s-seccomp-runtime-default", "no profile anywhere", () =>
        webPod((pod, c) => {
            delete obj(pod.securityContext).seccompProfile;
            delete securityContext(c).seccompProfile;
        }),
    ),
    fail("k8s-seccomp-runtime-default", "a container opts out with Unconfined", () =>
        webPod((_, c) => (securityContext(c).seccompProfile = { type: "Unconfined" })),
    ),
    pass("k8s-read-only-root-fs", "read-only root with an emptyDir for scratch", baseline),
    fail("k8s-read-only-root-fs", "writable root file system", () => webPod((_, c) => (securityContext(c).readOnlyRootFilesystem = false))),
    pass("k8s-no-privileged", "privileged: false", baseline),
    fail("k8s-no-privileged", "privileged container", () => webPod((_, c) => (securityContext(c).privileged = true))),
    pass("k8s-no-host-path", "emptyDir only", baseline),
    fail(
        "k8s-no-host-path",
        "hostPath volume",
        () => webPod((pod) => (pod.volumes = [{ name: "docker", hostPath: { path: "/var/run/docker.sock" } }])),
        ["k8s-restricted-volume-types"],
    ),
    pass("k8s-restricted-volume-types", "configMap, secret, projected and PVC volumes", () =>
        webPod(
            (pod) =>
                (pod.volumes = [
                    { name: "config", configMap: { name: "web" } },
                    { name: "auth", secret: { secretName: "web" } },
                    { name: "token", projected: { sources: [] } },
                    { name: "data", persistentVolumeClaim: { claimName: "data" } },
                ]),
        ),
    ),
    fail("k8s-restricted-volume-types", "an NFS volume", () =>
        webPod((pod) => (pod.volumes = [{ name: "share", nfs: { server: "10.0.0.5", path: "/export" } }])),
    ),
    pass("k8s-no-host-network", "hostNetwork: false", () => webPod((pod) => (pod.hostNetwork = false))),
    fail("k8s-no-host-network", "hostNetwork: true", () => webPod((pod) => (pod.hostNetwork = true))),
    pass("k8s-no-host-pid", "hostPID unset", baseline),
    fail("k8s-no-host-pid", "hostPID: true", () => webPod((pod) => (pod.hostPID = true))),
    pass("k8s-no-host-ipc", "hostIPC unset", baseline),
    fail("k8s-no-host-ipc", "hostIPC: true", () => webPod((pod) => (pod.hostIPC = true))),
    pass("k8s-no-host-ports", "containerPort only", baseline),
    fail("k8s-no-host-ports", "hostPort 8080", () => webPod((_, c) => (c.ports = [{ name: "http", containerPort: 8080, hostPort: 8080 }]))),
    // Container hygiene
    pass("k8s-resource-requests", "cpu and memory requests", baseline),
    fail("k8s-resource-requests", "memory request missing", () =>
        webPod((_, c) => (c.resources = { requests: { cpu: "50m" }, limits: { cpu: "250m", memory: "128Mi" } })),
    ),
    pass("k8s-resource-limits", "cpu and memory limits", baseline),
    fail("k8s-resource-limits", "no limits", () => webPod((_, c) => (c.resources = { requests: { cpu: "50m", memory: "64Mi" } }))),
    pass("k8s-liveness-probe", "a Job needs no probes", () => [
        ...baseline(),
        reg("kubernetes:batch/v1:Job", "migrate", {
            metadata: { name: "migrate", namespace: "app" },
            spec: { template: stripProbes(podTemplate("migrate", 8080)) },
        }),
    ]),
    fail("k8s-liveness-probe", "no liveness probe", () => webPod((_, c) => delete c.livenessProbe)),
    pass("k8s-readiness-probe", "tcpSocket readiness probe", () => webPod((_, c) => (c.readinessProbe = { tcpSocket: { port: 8080 } }))),
    fail("k8s-readiness-probe", "no readiness probe", () => webPod((_, c) => delete c.readinessProbe)),
    pass("k8s-image-pinned-by-digest", "tag and digest", () =>
        webPod((_, c) => (c.image = `registry.example.com:5000/web:1.2.3@${DIGEST}`)),
    ),
    fail("k8s-image-pinned-by-digest", ":latest", () => webPod((_, c) => (c.image = "registry.example.com/web:latest"))),
    fail("k8s-image-pinned-by-digest", "a tag only", () => webPod((_, c) => (c.image = "registry.example.com:5000/web:1.2.3"))),
    fail("k8s-image-pinned-by-digest", "no tag at all", () => webPod((_, c) => (c.image = "nginx"))),
    pass("k8s-no-literal-secret-env", "credential as a NAME_FILE path to a mounted Secret, plain settings literal", baseline),
    fail("k8s-no-literal-secret-env", "DB_PASSWORD_FILE holding the password instead of a path", () =>
        webPod((_, c) => (c.env = [{ name: "DB_PASSWORD_FILE", value: "hunter2" }])),
    ),
    fail("k8s-no-literal-secret-env", "API_TOKEN as a literal", () =>
        webPod((_, c) => (c.env = [{ name: "API_TOKEN", value: "hunter2" }])),
    ),
    pass("k8s-no-public-load-balancer", "internal load balancer without source ranges", () =>
        editing("web-service", (inputs) => {
            obj(inputs.metadata).annotations = { "service.beta.kubernetes.io/azure-load-balancer-internal": "true" };
            delete obj(inputs.spec).loadBalancerSourceRanges;
        }),
    ),
    fail("k8s-no-public-load-balancer", "internet-facing without source ranges", () =>
        editing("web-service", (inputs) => delete obj(inputs.spec).loadBalancerSourceRanges),
    ),
    fail("k8s-no-public-load-balancer", "source ranges include 0.0.0.0/0", () =>
        editing("web-service", (inputs) => (obj(inputs.spec).loadBalancerSourceRanges = ["203.0.113.0/24", "0.0.0.0/0"])),
    ),
    // Ranges are compared as address ranges: two halves of the space are the whole space.
    fail("k8s-no-public-load-balancer", "source ranges 0.0.0.0/1 + 128.0.0.0/1 (every address, split)", () =>
        editing("web-service", (inputs) => (obj(inputs.spec).loadBalancerSourceRanges = ["0.0.0.0/1", "128.0.0.0/1"])),
    ),
    fail("k8s-no-public-load-balancer", "source range ::/0 (every IPv6 address)", () =>
        editing("web-service", (inputs) => (obj(inputs.spec).loadBalancerSourceRanges = ["203.0.113.0/24", "::/0"])),
    ),
    // Pod Security baseline checks beyond the first rules
    pass("k8s-apparmor-profile", "RuntimeDefault AppArmor and a localhost annotation", () =>
        editing("web", (inputs) => {
            const template = obj(obj(inputs.spec).template);
            obj(template.metadata).annotations = { "container.apparmor.security.beta.kubernetes.io/web": "localhost/web" };
            obj(obj(template.spec).securityContext).appArmorProfile = { type: "RuntimeDefault" };
        }),
    ),
    fail("k8s-apparmor-profile", "a container is Unconfined", () =>
        webPod((_, c) => (securityContext(c).appArmorProfile = { type: "Unconfined" })),
    ),
    fail("k8s-apparmor-profile", "the legacy annotation says unconfined", () =>
        editing(
            "web",
            (inputs) =>
                (obj(obj(obj(inputs.spec).template).metadata).annotations = {
                    "container.apparmor.security.beta.kubernetes.io/web": "unconfined",
                }),
        ),
    ),
    pass("k8s-selinux-options", "container_t with a level", () =>
        webPod((pod) => (obj(pod.securityContext).seLinuxOptions = { type: "container_t", level: "s0:c123,c456" })),
    ),
    fail("k8s-selinux-options", "spc_t type", () => webPod((_, c) => (securityContext(c).seLinuxOptions = { type: "spc_t" }))),
    fail("k8s-selinux-options", "a custom SELinux user", () =>
        webPod((pod) => (obj(pod.securityContext).seLinuxOptions = { user: "system_u" })),
    ),
    pass("k8s-default-proc-mount", "procMount: Default", () => webPod((_, c) => (securityContext(c).procMount = "Default"))),
    fail("k8s-default-proc-mount", "procMount: Unmasked", () => webPod((_, c) => (securityContext(c).procMount = "Unmasked"))),
    pass("k8s-no-sysctls", "no sysctls", baseline),
    fail("k8s-no-sysctls", "net.ipv4.ip_local_port_range (PSS-safe, kube-linter unsafe)", () =>
        webPod((pod) => (obj(pod.securityContext).sysctls = [{ name: "net.ipv4.ip_local_port_range", value: "1024 65535" }])),
    ),
    pass("k8s-no-windows-host-process", "hostProcess: false", () =>
        webPod((_, c) => (securityContext(c).windowsOptions = { hostProcess: false })),
    ),
    fail("k8s-no-windows-host-process", "a HostProcess pod", () =>
        webPod((pod) => (obj(pod.securityContext).windowsOptions = { hostProcess: true })),
    ),
    pass("k8s-no-probe-host", "probes without host, a sleep preStop", () =>
        webPod((_, c) => (c.lifecycle = { preStop: { sleep: { seconds: 5 } } })),
    ),
    fail("k8s-no-probe-host", "a liveness probe aimed at another host", () =>
        webPod((_, c) => (c.livenessProbe = { httpGet: { path: "/", port: "http", host: "169.254.169.254" } })),
    ),
    fail("k8s-no-probe-host", "a preStop hook aimed at another host", () =>
        webPod((_, c) => (c.lifecycle = { preStop: { httpGet: { path: "/drain", port: 8080, host: "10.0.0.1" } } })),
    ),
    // Credentials and identity
    pass("k8s-secrets-as-files", "a NAME_FILE path into a mounted Secret", baseline),
    fail("k8s-secrets-as-files", "a password from secretKeyRef", () =>
        webPod((_, c) => (c.env = [{ name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "db", key: "password" } } }])),
    ),
    fail("k8s-secrets-as-files", "a Secret loaded with envFrom", () =>
        webPod((_, c) => (c.envFrom = [{ secretRef: { name: "web-connection" } }])),
    ),
    pass("k8s-no-service-account-token", "pod and ServiceAccount opt out", baseline),
    fail("k8s-no-service-account-token", "the pod mounts the token", () => webPod((pod) => delete pod.automountServiceAccountToken)),
    fail("k8s-no-service-account-token", "the ServiceAccount hands out tokens", () =>
        editing("web-sa", (inputs) => delete inputs.automountServiceAccountToken),
    ),
    pass("k8s-high-uid", "uid 10001 from the pod", () => webPod((_, c) => delete securityContext(c).runAsUser)),
    fail("k8s-high-uid", "uid 1000", () =>
        webPod((pod, c) => {
            obj(pod.securityContext).runAsUser = 1000;
            securityContext(c).runAsUser = 1000;
        }),
    ),
    fail("k8s-high-uid", "no uid anywhere (the image decides)", () =>
        webPod((pod, c) => {
            delete obj(pod.securityContext).runAsUser;
            delete securityContext(c).runAsUser;
        }),
    ),
    // Wiring
    pass("k8s-no-duplicate-env", "distinct names", baseline),
    fail("k8s-no-duplicate-env", "PORT twice", () =>
        webPod(
            (_, c) =>
                (c.env = [
                    { name: "PORT", value: "8080" },
                    { name: "PORT", value: "9090" },
                ]),
        ),
    ),
    pass("k8s-valid-port-names", "named target port and numeric ports", () =>
        editing(
            "web-service",
            (inputs) =>
                (obj(inputs.spec).ports = [
                    { port: 80, targetPort: "http" },
                    { port: 9090, targetPort: 9090 },
                ]),
        ),
    ),
    fail("k8s-valid-port-names", "a container port name with capitals and 16 characters", () =>
        webPod((_, c) => {
            c.ports = [{ name: "HttpPortForWeb01", containerPort: 8080 }];
            c.livenessProbe = { httpGet: { path: "/healthz", port: 8080 } };
            c.readinessProbe = { httpGet: { path: "/readyz", port: 8080 } };
        }),
    ),
    fail("k8s-valid-port-names", "a Service target port of 70000", () =>
        editing("web-service", (inputs) => (obj(inputs.spec).ports = [{ port: 80, targetPort: 70000 }])),
    ),
    pass("k8s-probe-ports-exposed", "probes by number on the declared port", () =>
        webPod((_, c) => (c.readinessProbe = { tcpSocket: { port: 8080 } })),
    ),
    fail("k8s-probe-ports-exposed", "a liveness probe on an undeclared name", () =>
        webPod((_, c) => (c.livenessProbe = { httpGet: { path: "/healthz", port: "metrics" } })),
    ),
    fail("k8s-probe-ports-exposed", "a startup probe on an undeclared number", () =>
        webPod((_, c) => (c.startupProbe = { tcpSocket: { port: 9000 } })),
    ),
    pass("k8s-no-ssh-port", "port 8080 only", baseline),
    fail("k8s-no-ssh-port", "port 22 exposed", () =>
        webPod((_, c) => (c.ports = [...(c.ports as Inputs[]), { name: "ssh", containerPort: 22, protocol: "TCP" }])),
    ),
    pass("k8s-selector-matches-template", "matchExpressions that select the template", () =>
        editing("web", (inputs) => (obj(inputs.spec).selector = { matchExpressions: [{ key: "app", operator: "In", values: ["web"] }] })),
    ),
    fail("k8s-selector-matches-template", "selector app=api on web pods", () =>
        editing("web", (inputs) => (obj(inputs.spec).selector = { matchLabels: { app: "api" } })),
    ),
    pass("k8s-no-deprecated-service-account-field", "serviceAccountName only", baseline),
    fail("k8s-no-deprecated-service-account-field", "serviceAccount set as well", () => webPod((pod) => (pod.serviceAccount = "web"))),
    pass("k8s-no-removed-apis", "apps/v1 only", baseline),
    fail("k8s-no-removed-apis", "an extensions/v1beta1 Ingress", () => [
        ...baseline(),
        reg("kubernetes:extensions/v1beta1:Ingress", "old-ingress", { metadata: { name: "web", namespace: "app" }, spec: {} }),
    ]),
    pass("k8s-job-ttl", "a Job with a TTL", () => [
        ...baseline(),
        reg("kubernetes:batch/v1:Job", "migrate", {
            metadata: { name: "migrate", namespace: "app" },
            spec: { ttlSecondsAfterFinished: 600, template: podTemplate("migrate", 8080) },
        }),
    ]),
    fail("k8s-job-ttl", "a Job without a TTL", () => [
        ...baseline(),
        reg("kubernetes:batch/v1:Job", "migrate", {
            metadata: { name: "migrate", namespace: "app" },
            spec: { template: podTemplate("migrate", 8080) },
        }),
    ]),
    pass("k8s-no-default-namespace", "every namespaced object in app, the Namespace itself cluster-wide", baseline),
    fail("k8s-no-default-namespace", "a Secret without a namespace", () =>
        editing("redis-auth", (inputs) => delete obj(inputs.metadata).namespace),
    ),
    // Disruption
    pass("k8s-pdb-unhealthy-pod-eviction", "AlwaysAllow", baseline),
    fail("k8s-pdb-unhealthy-pod-eviction", "policy left at its default", () =>
        editing("web-pdb", (inputs) => delete obj(inputs.spec).unhealthyPodEvictionPolicy),
    ),
    pass("k8s-pdb-allows-disruption", "minAvailable 1 of at least 2 replicas", () =>
        editing("web-pdb", (inputs) => {
            delete obj(inputs.spec).maxUnavailable;
            obj(inputs.spec).minAvailable = 1;
        }),
    ),
    fail("k8s-pdb-allows-disruption", "maxUnavailable 0", () => editing("web-pdb", (inputs) => (obj(inputs.spec).maxUnavailable = 0))),
    fail("k8s-pdb-allows-disruption", "minAvailable 100%", () =>
        editing("web-pdb", (inputs) => {
            delete obj(inputs.spec).maxUnavailable;
            obj(inputs.spec).minAvailable = "100%";
        }),
    ),
    pass("k8s-replicas-spread-over-nodes", "preferred pod anti-affinity on the hostname", () =>
        webPod((pod) => {
            delete pod.topologySpreadConstraints;
            pod.affinity = {
                podAntiAffinity: {
                    preferredDuringSchedulingIgnoredDuringExecution: [
                        {
                            weight: 100,
                            podAffinityTerm: { topologyKey: "kubernetes.io/hostname", labelSelector: { matchLabels: { app: "web" } } },
                        },
                    ],
                },
            };
        }),
    ),
    fail("k8s-replicas-spread-over-nodes", "no spread at all", () => webPod((pod) => delete pod.topologySpreadConstraints)),
    fail("k8s-replicas-spread-over-nodes", "spread over zones only", () =>
        webPod(
            (pod) =>
                (pod.topologySpreadConstraints = [
                    {
                        maxSkew: 1,
                        topologyKey: "topology.kubernetes.io/zone",
                        whenUnsatisfiable: "ScheduleAnyway",
                        labelSelector: { matchLabels: { app: "web" } },
                    },
                ]),
        ),
    ),
    // References
    pass("k8s-service-selects-pods", "the Service selects the web pods", baseline),
    fail("k8s-service-selects-pods", "a renamed label leaves the Service without pods", () =>
        editing("web-service", (inputs) => (obj(inputs.spec).selector = { app: "website" })),
    ),
    pass("k8s-service-account-exists", "the pod's ServiceAccount is in the stack", baseline),
    fail("k8s-service-account-exists", "the pod names a ServiceAccount nobody creates", () =>
        baseline().filter((r) => r.name !== "web-sa"),
    ),
    // Stack-wide Kubernetes
    pass("k8s-no-replicas-with-hpa", "replicas on a StatefulSet no HPA scales", baseline),
    fail("k8s-no-replicas-with-hpa", "Deployment sets replicas and has an HPA", () =>
        editing("web", (inputs) => (obj(inputs.spec).replicas = 3)),
    ),
    pass("k8s-pdb-for-replicated-workloads", "a one-replica workload needs no PDB", () =>
        baseline().filter((r) => r.name !== "web-pdb" && r.name !== "web-hpa"),
    ),
    fail("k8s-pdb-for-replicated-workloads", "HPA can scale to 5 and no PDB", () => baseline().filter((r) => r.name !== "web-pdb")),
    fail("k8s-pdb-for-replicated-workloads", "the PDB selects other pods", () =>
        editing("web-pdb", (inputs) => (obj(inputs.spec).selector = { matchLabels: { app: "api" } })),
    ),
    pass("k8s-namespace-default-deny", "ingress and egress denied by two policies", () => [
        ...baseline().filter((r) => r.name !== "app-default-deny"),
        reg("kubernetes:networking.k8s.io/v1:NetworkPolicy", "deny-in", {
            metadata: { name: "deny-in", namespace: "app" },
            spec: { podSelector: {} },
        }),
        reg("kubernetes:networking.k8s.io/v1:NetworkPolicy", "deny-out", {
            metadata: { name: "deny-out", namespace: "app" },
            spec: { podSelector: {}, policyTypes: ["Egress"], egress: [] },
        }),
    ]),
    fail("k8s-namespace-default-deny", "no default deny", () => baseline().filter((r) => r.name !== "app-default-deny")),
    fail("k8s-namespace-default-deny", "the deny policy allows egress", () =>
        editing("app-default-deny", (inputs) => (obj(inputs.spec).egress = [{}])),
    ),
    pass("k8s-explicit-provider", "every Kubernetes resource names its provider", baseline),
    fail("k8s-explicit-provider", "a resource on the default provider", () => [
        ...baseline(),
        reg("kubernetes:core/v1:ConfigMap", "stray", { metadata: { name: "stray", namespace: "app" }, data: {} }, ""),
    ]),
    // AWS
    pass("aws-eks-endpoint-not-public", "private endpoint only", () =>
        editing("cluster", (inputs) => (inputs.vpcConfig = { subnetIds: ["s"], endpointPrivateAccess: true, endpointPublicAccess: false })),
    ),
    fail("aws-eks-endpoint-not-public", "public with no CIDRs (AWS default 0.0.0.0/0)", () =>
        editing("cluster", (inputs) => delete obj(inputs.vpcConfig).publicAccessCidrs),
    ),
    fail("aws-eks-endpoint-not-public", "public to 0.0.0.0/0", () =>
        editing("cluster", (inputs) => (obj(inputs.vpcConfig).publicAccessCidrs = ["0.0.0.0/0"])),
    ),
    fail("aws-eks-endpoint-not-public", "public to four /2 blocks that together cover every address", () =>
        editing(
            "cluster",
            (inputs) => (obj(inputs.vpcConfig).publicAccessCidrs = ["0.0.0.0/2", "64.0.0.0/2", "128.0.0.0/2", "192.0.0.0/2"]),
        ),
    ),
    pass("aws-eks-secrets-encryption", "KMS key for secrets (list shape of provider v6)", () =>
        editing(
            "cluster",
            (inputs) =>
                (inputs.encryptionConfig = [{ provider: { keyArn: "arn:aws:kms:eu-west-1:123456789012:key/1" }, resources: ["secrets"] }]),
        ),
    ),
    fail("aws-eks-secrets-encryption", "no encryption config", () => editing("cluster", (inputs) => delete inputs.encryptionConfig)),
    pass("aws-eks-control-plane-logging", "api, audit, authenticator and more", () =>
        editing(
            "cluster",
            (inputs) => (inputs.enabledClusterLogTypes = ["api", "audit", "authenticator", "controllerManager", "scheduler"]),
        ),
    ),
    fail("aws-eks-control-plane-logging", "audit log off", () =>
        editing("cluster", (inputs) => (inputs.enabledClusterLogTypes = ["api", "authenticator"])),
    ),
    pass("aws-eks-nodes-private-subnets", "a public subnet the node group does not use may map public IPs", () =>
        editing("public-0", (inputs) => (inputs.mapPublicIpOnLaunch = true)),
    ),
    fail("aws-eks-nodes-private-subnets", "the node group's subnet maps public IPs", () =>
        editing("private-0", (inputs) => (inputs.mapPublicIpOnLaunch = true)),
    ),
    pass("aws-ecr-scan-on-push", "scanOnPush: true", baseline),
    fail("aws-ecr-scan-on-push", "scanning off", () => editing("web-repo", (inputs) => delete inputs.imageScanningConfiguration)),
    pass("aws-ecr-immutable-tags", "IMMUTABLE", baseline),
    fail("aws-ecr-immutable-tags", "MUTABLE", () => editing("web-repo", (inputs) => (inputs.imageTagMutability = "MUTABLE"))),
    pass("aws-ecr-immutable-tags", "IMMUTABLE_WITH_EXCLUSION of the one buildcache tag", () =>
        editing("web-repo", (inputs) => {
            inputs.imageTagMutability = "IMMUTABLE_WITH_EXCLUSION";
            inputs.imageTagMutabilityExclusionFilters = [{ filter: "buildcache", filterType: "WILDCARD" }];
        }),
    ),
    fail("aws-ecr-immutable-tags", "IMMUTABLE_WITH_EXCLUSION with a wildcard filter (release-*)", () =>
        editing("web-repo", (inputs) => {
            inputs.imageTagMutability = "IMMUTABLE_WITH_EXCLUSION";
            inputs.imageTagMutabilityExclusionFilters = [
                { filter: "buildcache", filterType: "WILDCARD" },
                { filter: "release-*", filterType: "WILDCARD" },
            ];
        }),
    ),
    fail("aws-ecr-immutable-tags", "MUTABLE_WITH_EXCLUSION", () =>
        editing("web-repo", (inputs) => (inputs.imageTagMutability = "MUTABLE_WITH_EXCLUSION")),
    ),
    pass("aws-rds-encrypted", "storageEncrypted: true", baseline),
    fail("aws-rds-encrypted", "unencrypted storage", () => editing("postgres", (inputs) => delete inputs.storageEncrypted)),
    pass("aws-rds-not-public", "publiclyAccessible unset", () => editing("postgres", (inputs) => delete inputs.publiclyAccessible)),
    fail("aws-rds-not-public", "publiclyAccessible: true", () => editing("postgres", (inputs) => (inputs.publiclyAccessible = true))),
    pass("aws-rds-backed-up", "1 day of backups", () => editing("postgres", (inputs) => (inputs.backupRetentionPeriod = 1))),
    fail("aws-rds-backed-up", "retention 0", () => editing("postgres", (inputs) => (inputs.backupRetentionPeriod = 0))),
    pass("aws-elasticache-transit-encryption", "TLS on", baseline),
    fail(
        "aws-elasticache-transit-encryption",
        "TLS off",
        () => editing("elasticache", (inputs) => (inputs.transitEncryptionEnabled = false)),
        ["aws-elasticache-auth-token"],
    ),
    pass("aws-elasticache-at-rest-encryption", "at rest on", baseline),
    fail("aws-elasticache-at-rest-encryption", "at rest unset", () =>
        editing("elasticache", (inputs) => delete inputs.atRestEncryptionEnabled),
    ),
    pass("aws-eks-supported-version", "1.29, the oldest supported", () => editing("cluster", (inputs) => (inputs.version = "1.29"))),
    fail("aws-eks-supported-version", "1.27", () => editing("cluster", (inputs) => (inputs.version = "1.27"))),
    pass("aws-eks-node-group-no-ssh", "no remoteAccess", baseline),
    fail("aws-eks-node-group-no-ssh", "SSH with a key pair", () =>
        editing("nodes", (inputs) => (inputs.remoteAccess = { ec2SshKey: "ops" })),
    ),
    pass("aws-ecr-kms-encryption", "KMS", baseline),
    fail("aws-ecr-kms-encryption", "AES256", () =>
        editing("web-repo", (inputs) => (inputs.encryptionConfigurations = [{ encryptionType: "AES256" }])),
    ),
    pass("aws-elasticache-auth-token", "TLS with a token", baseline),
    fail("aws-elasticache-auth-token", "no token", () => editing("elasticache", (inputs) => delete inputs.authToken)),
    pass("aws-elasticache-cmk", "the stack key", baseline),
    fail("aws-elasticache-cmk", "AWS-owned key", () => editing("elasticache", (inputs) => delete inputs.kmsKeyId)),
    pass("aws-rds-auto-minor-upgrade", "left at the RDS default (true)", () =>
        editing("postgres", (inputs) => delete inputs.autoMinorVersionUpgrade),
    ),
    fail("aws-rds-auto-minor-upgrade", "turned off", () => editing("postgres", (inputs) => (inputs.autoMinorVersionUpgrade = false))),
    pass("aws-rds-copy-tags-to-snapshot", "copyTagsToSnapshot: true", baseline),
    fail("aws-rds-copy-tags-to-snapshot", "unset", () => editing("postgres", (inputs) => delete inputs.copyTagsToSnapshot)),
    // Autoscalers
    pass("k8s-hpa-metrics-source", "EKS with the metrics-server add-on", baseline),
    pass("k8s-hpa-metrics-source", "EKS with a metrics-server Deployment instead of the add-on", withMetricsServerDeployment),
    pass("k8s-hpa-metrics-source", "AKS: metrics-server is built in", () => [...kubernetesBaseline(), ...azureBaseline()]),
    pass("k8s-hpa-metrics-source", "no cluster in the stack (local): not visible, not checked", kubernetesBaseline),
    fail("k8s-hpa-metrics-source", "EKS without metrics-server, HPA on the default CPU metric", withoutMetricsServer),
    pass("k8s-hpa-metrics-source", "EKS without metrics-server, HPA on an External metric only", () =>
        editingIn(withoutMetricsServer(), "web-hpa", (inputs) => (obj(inputs.spec).metrics = [EXTERNAL_METRIC])),
    ),
    pass("k8s-vpa-hpa-conflict", "updateMode Off beside the HPA on CPU", baseline),
    pass("k8s-vpa-hpa-conflict", "Auto on memory only while the HPA scales on CPU only", () =>
        editing("web-vpa", (inputs) => {
            vpaSpecOf(inputs).updatePolicy = { updateMode: "Auto" };
            vpaSpecOf(inputs).resourcePolicy = { containerPolicies: [{ containerName: "web", controlledResources: ["memory"] }] };
        }),
    ),
    pass("k8s-vpa-hpa-conflict", "Recreate with the container's policy mode Off", () =>
        editing("web-vpa", (inputs) => {
            vpaSpecOf(inputs).updatePolicy = { updateMode: "Recreate" };
            vpaSpecOf(inputs).resourcePolicy = { containerPolicies: [{ containerName: "*", mode: "Off" }] };
        }),
    ),
    pass("k8s-vpa-hpa-conflict", "Auto on another Deployment than the HPA's", () =>
        editing("web-vpa", (inputs) => {
            vpaSpecOf(inputs).updatePolicy = { updateMode: "Auto" };
            vpaSpecOf(inputs).targetRef = { apiVersion: "apps/v1", kind: "Deployment", name: "worker" };
        }),
    ),
    fail("k8s-vpa-hpa-conflict", "Auto without a resource policy (controls CPU and memory)", () =>
        editing("web-vpa", (inputs) => {
            vpaSpecOf(inputs).updatePolicy = { updateMode: "Auto" };
            delete vpaSpecOf(inputs).resourcePolicy;
        }),
    ),
    fail("k8s-vpa-hpa-conflict", "updatePolicy unset (upstream default Auto)", () =>
        editing("web-vpa", (inputs) => delete vpaSpecOf(inputs).updatePolicy),
    ),
    fail("k8s-vpa-hpa-conflict", "InPlaceOrRecreate on CPU while the HPA scales on CPU and memory", () =>
        editingIn(
            editing("web-vpa", (inputs) => {
                vpaSpecOf(inputs).updatePolicy = { updateMode: "InPlaceOrRecreate" };
                vpaSpecOf(inputs).resourcePolicy = { containerPolicies: [{ containerName: "web", controlledResources: ["cpu"] }] };
            }),
            "web-hpa",
            (inputs) => (obj(inputs.spec).metrics = [CPU_METRIC, MEMORY_METRIC]),
        ),
    ),
    fail("k8s-vpa-hpa-conflict", "Initial", () =>
        editing("web-vpa", (inputs) => (vpaSpecOf(inputs).updatePolicy = { updateMode: "Initial" })),
    ),
    // Azure
    pass("azure-aks-local-accounts-off", "disableLocalAccounts: true", baseline),
    fail("azure-aks-local-accounts-off", "local accounts on", () => editing("aks", (inputs) => (inputs.disableLocalAccounts = false))),
    pass("azure-aks-azure-rbac", "managed AAD with Azure RBAC", baseline),
    fail("azure-aks-azure-rbac", "Kubernetes RBAC only", () =>
        editing("aks", (inputs) => (inputs.aadProfile = { managed: true, enableAzureRBAC: false })),
    ),
    pass("azure-aks-authorized-ip-ranges", "private cluster", () =>
        editing("aks", (inputs) => (inputs.apiServerAccessProfile = { enablePrivateCluster: true })),
    ),
    fail("azure-aks-authorized-ip-ranges", "no ranges", () => editing("aks", (inputs) => delete inputs.apiServerAccessProfile)),
    fail("azure-aks-authorized-ip-ranges", "0.0.0.0/0", () =>
        editing("aks", (inputs) => (inputs.apiServerAccessProfile = { authorizedIPRanges: ["0.0.0.0/0"] })),
    ),
    fail("azure-aks-authorized-ip-ranges", "0.0.0.0/1 + 128.0.0.0/1", () =>
        editing("aks", (inputs) => (inputs.apiServerAccessProfile = { authorizedIPRanges: ["0.0.0.0/1", "128.0.0.0/1"] })),
    ),
    pass("azure-aks-network-policy", "azure network policy", () =>
        editing("aks", (inputs) => (inputs.networkProfile = { networkPlugin: "azure", networkPolicy: "azure" })),
    ),
    fail("azure-aks-network-policy", "no network policy engine", () =>
        editing("aks", (inputs) => (inputs.networkProfile = { networkPlugin: "azure", networkPolicy: "none" })),
    ),
    pass("azure-aks-workload-identity", "OIDC issuer and workload identity on", baseline),
    fail("azure-aks-workload-identity", "OIDC issuer off", () => editing("aks", (inputs) => delete inputs.oidcIssuerProfile)),
    pass("azure-acr-admin-user-off", "adminUserEnabled unset (Azure default off)", () =>
        editing("acr", (inputs) => delete inputs.adminUserEnabled),
    ),
    fail("azure-acr-admin-user-off", "admin user on", () => editing("acr", (inputs) => (inputs.adminUserEnabled = true))),
    pass("azure-acr-pull-for-kubelet", "bare role GUID, scope in another case", () =>
        editing("acr-pull", (inputs) => {
            inputs.roleDefinitionId = "7F951DDA-4ED3-4680-A7CA-43FE172D538D";
            inputs.scope = fakeId(ACR, "acr").toUpperCase();
        }),
    ),
    fail("azure-acr-pull-for-kubelet", "no AcrPull on the registry", () => baseline().filter((r) => r.name !== "acr-pull")),
    fail("azure-acr-pull-for-kubelet", "AcrPull granted to the control-plane identity", () =>
        editing("acr-pull", (inputs) => (inputs.principalId = "control-plane-principal")),
    ),
    fail("azure-acr-pull-for-kubelet", "AcrPull scoped to the resource group", () =>
        editing("acr-pull", (inputs) => (inputs.scope = "/subscriptions/s/resourceGroups/rg")),
    ),
    pass("azure-redis-no-non-tls-port", "non-TLS port off", baseline),
    fail("azure-redis-no-non-tls-port", "non-TLS port on", () => editing("redis-cache", (inputs) => (inputs.enableNonSslPort = true))),
    pass("azure-redis-min-tls-1-2", "minimum TLS 1.2", baseline),
    fail("azure-redis-min-tls-1-2", "minimum TLS 1.0", () => editing("redis-cache", (inputs) => (inputs.minimumTlsVersion = "1.0"))),
    pass("azure-postgres-no-public-access", "VNet-integrated without an explicit flag", () =>
        editing("postgres-server", (inputs) => (inputs.network = { delegatedSubnetResourceId: "/subnets/data" })),
    ),
    fail("azure-postgres-no-public-access", "public access enabled", () =>
        editing("postgres-server", (inputs) => (inputs.network = { publicNetworkAccess: "Enabled" })),
    ),
    // Capacity at max scale (the AWS baseline's node group: 5 × t3.medium by default)
    pass("k8s-capacity-at-max-scale", "web at 5 replicas of 50m/64Mi on 5 × t3.medium", baseline),
    fail("k8s-capacity-at-max-scale", "web at 5 replicas of 1 vCPU on 2 × t3.medium", () =>
        webPod((_pod, c) => (obj(c.resources).requests = { cpu: "1", memory: "64Mi" })).map((r) =>
            r.name === "nodes" ? { ...r, inputs: { ...r.inputs, scalingConfig: { minSize: 1, maxSize: 2, desiredSize: 1 } } } : r,
        ),
    ),
    pass("azure-aks-monitoring", "omsagent on", baseline),
    fail("azure-aks-monitoring", "no monitoring add-on", () =>
        editing(
            "aks",
            (inputs) =>
                (inputs.addonProfiles = { azureKeyvaultSecretsProvider: { enabled: true, config: { enableSecretRotation: "true" } } }),
        ),
    ),
    pass("azure-aks-nodes-no-public-ip", "no public IPs on either pool", baseline),
    fail("azure-aks-nodes-no-public-ip", "the user pool has public IPs", () =>
        editing("user-pool", (inputs) => (inputs.enableNodePublicIP = true)),
    ),
    pass("azure-aks-scale-sets", "scale sets", baseline),
    fail("azure-aks-scale-sets", "an availability set pool", () => editing("user-pool", (inputs) => (inputs.type = "AvailabilitySet"))),
    pass("azure-aks-system-pool-critical-only", "a tainted system pool, an untainted user pool", baseline),
    fail("azure-aks-system-pool-critical-only", "the system pool takes app pods", () =>
        editing("aks", (inputs) => (inputs.agentPoolProfiles = [{ name: "system", mode: "System", type: "VirtualMachineScaleSets" }])),
    ),
    pass("azure-aks-auto-upgrade", "stable channel", () =>
        editing("aks", (inputs) => (inputs.autoUpgradeProfile = { upgradeChannel: "stable" })),
    ),
    fail("azure-aks-auto-upgrade", "channel none", () =>
        editing("aks", (inputs) => (inputs.autoUpgradeProfile = { upgradeChannel: "none" })),
    ),
    pass("azure-aks-secret-rotation", "rotation on", baseline),
    fail("azure-aks-secret-rotation", "rotation off", () =>
        editing(
            "aks",
            (inputs) =>
                (inputs.addonProfiles = {
                    omsagent: { enabled: true },
                    azureKeyvaultSecretsProvider: { enabled: true, config: { enableSecretRotation: "false" } },
                }),
        ),
    ),
    pass("azure-aks-azure-cni", "Azure CNI", baseline),
    fail("azure-aks-azure-cni", "kubenet", () =>
        editing("aks", (inputs) => (inputs.networkProfile = { networkPlugin: "kubenet", networkPolicy: "calico" })),
    ),
    pass("azure-aks-no-http-application-routing", "add-on absent", baseline),
    fail("azure-aks-no-http-application-routing", "add-on on", () =>
        editing("aks", (inputs) => (obj(inputs.addonProfiles).httpApplicationRouting = { enabled: true })),
    ),
    pass("azure-acr-no-anonymous-pull", "anonymous pull off", baseline),
    fail("azure-acr-no-anonymous-pull", "anonymous pull on", () => editing("acr", (inputs) => (inputs.anonymousPullEnabled = true))),
    pass("azure-redis-no-public-network", "public network access disabled", baseline),
    fail("azure-redis-no-public-network", "public network access left open", () =>
        editing("redis-cache", (inputs) => delete inputs.publicNetworkAccess),
    ),
];

const CPU_METRIC = { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } };
const MEMORY_METRIC = { type: "Resource", resource: { name: "memory", target: { type: "Utilization", averageUtilization: 80 } } };
const EXTERNAL_METRIC = {
    type: "External",
    external: { metric: { name: "queue_depth" }, target: { type: "AverageValue", averageValue: "30" } },
};

/** Registrations with the inputs of the resource named `name` changed (in place; pass copies). */
function editingIn(registrations: Registration[], name: string, edit: Edit): Registration[] {
    const target = registrations.find((r) => r.name === name);
    if (!target) throw new Error(`no fixture resource ${name}`);
    edit(target.inputs);
    return registrations;
}

function vpaSpecOf(inputs: Inputs): Inputs {
    return obj(inputs.spec);
}

/** The baseline whose EKS cluster has no metrics-server (neither the add-on nor a Deployment). */
function withoutMetricsServer(): Registration[] {
    return baseline().filter((r) => r.name !== "metrics-server");
}

/** The baseline serving resource metrics from a metrics-server Deployment (a Helm chart's, say) instead of the EKS add-on. */
function withMetricsServerDeployment(): Registration[] {
    return [
        ...withoutMetricsServer(),
        reg("kubernetes:apps/v1:Deployment", "metrics-server", {
            metadata: { name: "metrics-server", namespace: "kube-system" },
            spec: {
                selector: { matchLabels: { app: "metrics-server" } },
                template: withServiceAccount(podTemplate("metrics-server", 10250), "metrics-server"),
            },
        }),
    ];
}

function stripProbes(template: Inputs): Inputs {
    const copy = structuredClone(template);
    for (const c of obj(copy.spec).containers as Inputs[]) {
        delete c.livenessProbe;
        delete c.readinessProbe;
    }
    return copy;
}

describe("policy rules", () => {
    it("the baselines pass every rule of the pack", async () => {
        const outcome = await applyPack(baseline(), [], inputState);
        assert.deepStrictEqual(outcome.violations.filter(gating), []);
    });

    it("every rule has at least one passing and one failing fixture", () => {
        for (const rule of RULES.filter((r) => !TESTED_ELSEWHERE.includes(r.name))) {
            assert.ok(
                CASES.some((c) => c.rule === rule.name && c.expect === "pass"),
                `${rule.name} has no passing fixture`,
            );
            assert.ok(
                CASES.some((c) => c.rule === rule.name && c.expect === "fail"),
                `${rule.name} has no failing fixture`,
            );
        }
        for (const c of CASES)
            assert.ok(
                RULES.some((r) => r.name === c.rule),
                `fixture names unknown rule ${c.rule}`,
            );
    });

    it("has at least 25 rules, all mandatory but the cost report, each with a why and a fix", () => {
        assert.ok(RULES.length >= 25, `only ${RULES.length} rules`);
        assert.deepStrictEqual(
            RULES.filter((r) => r.advisory === true).map((r) => r.name),
            [costEstimate.name],
        );
        for (const rule of RULES) {
            assert.match(rule.name, /^(k8s|aws|azure|cost)-[a-z0-9-]+$/);
            assert.ok(rule.description.length >= 40, `${rule.name}: description must say why`);
            assert.ok(rule.remediation.length >= 15, `${rule.name}: remediation must say what to set`);
        }
    });

    for (const c of CASES) {
        it(`${c.rule}: ${c.expect}s when ${c.title}`, async () => {
            const outcome = await applyPack(c.registrations(), [], inputState);
            const fired = [...new Set(outcome.violations.filter(gating).map((v) => v.rule))].sort();
            if (c.expect === "pass")
                assert.ok(!fired.includes(c.rule), `${c.rule} fired: ${outcome.violations.map((v) => v.message).join("\n")}`);
            else
                assert.deepStrictEqual(
                    fired,
                    [c.rule, ...(c.alsoFires ?? [])].sort(),
                    outcome.violations.map((v) => `${v.rule}: ${v.message}`).join("\n"),
                );
        });
    }
});

describe("autoscaler rules: what a violation says", () => {
    const messages = async (registrations: Registration[], rule: string) =>
        (await applyPack(registrations, [], inputState)).violations.filter((v) => v.rule === rule).map((v) => [v.urn, v.message]);

    it("k8s-hpa-metrics-source names the HPA, the resources it reads, the EKS cluster and the add-on to add", async () => {
        assert.deepStrictEqual(await messages(withoutMetricsServer(), "k8s-hpa-metrics-source"), [
            [
                "urn:pulumi:test::platform::kubernetes:autoscaling/v2:HorizontalPodAutoscaler::web-hpa",
                'HPA web scales Deployment web on cpu but EKS cluster cluster runs no metrics-server (no aws:eks/addon:Addon with addonName metrics-server, no Deployment named metrics-server): its targets stay <unknown> and it never scales. Fix: on EKS add the metrics-server EKS add-on (aws:eks/addon:Addon with addonName "metrics-server", pinned like the other add-ons) or deploy metrics-server in the stack; on an existing cluster install metrics-server before relying on the HPA',
            ],
        ]);
        assert.deepStrictEqual(await messages(baseline(), "k8s-hpa-metrics-source"), []);
    });

    it("k8s-vpa-hpa-conflict names the mode, the contested resources, both autoscalers, why they fight and the fix", async () => {
        const auto = editing("web-vpa", (inputs) => {
            vpaSpecOf(inputs).updatePolicy = { updateMode: "Auto" };
            delete vpaSpecOf(inputs).resourcePolicy;
        });
        const both = editingIn(auto, "web-hpa", (inputs) => (obj(inputs.spec).metrics = [CPU_METRIC, MEMORY_METRIC]));
        assert.deepStrictEqual(await messages(both, "k8s-vpa-hpa-conflict"), [
            [
                "urn:pulumi:test::platform::kubernetes:autoscaling.k8s.io/v1:VerticalPodAutoscaler::web-vpa",
                "VPA web (updateMode Auto) applies cpu and memory requests to Deployment web, which HPA web scales on cpu and memory: they fight (the VPA resizes the pods whose utilization the HPA counts, the HPA re-counts the pods the VPA resizes). Fix: set the VPA's updatePolicy.updateMode to \"Off\" (platform:app.vpa: recommend) and copy its recommendation into the requests, or leave the HPA's resources out of the VPA's controlledResources",
            ],
        ]);
        assert.deepStrictEqual(await messages(baseline(), "k8s-vpa-hpa-conflict"), []);
    });
});
