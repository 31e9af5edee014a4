/**
 * Scaling that acts, per committed stack under mocks: on staging (aws) the metrics-server
 * add-on, the Cluster Autoscaler with its least-privilege IRSA role and discovery tags, and the
 * VPA recommender with its CRDs; on prod (azure) the managed VPA; neither recommender when
 * app.vpa is off everywhere.
 */
import * as assert from "assert";
import { FAKE_ACCOUNT } from "../../harness/awsFakes";
import { Registration } from "../../harness/mocks";
import { runStack, StackRun } from "../../harness/runStack";
import { readStackFile, StackConfigMap } from "../../harness/stackFiles";
import { at, list, ofType, record } from "./support/inspect";

function one(run: StackRun, type: string, name?: string): Registration {
    const found = ofType(run.registrations, type).filter((r) => name === undefined || r.name === name);
    assert.strictEqual(found.length, 1, `expected one ${type} ${name ?? ""}, found ${found.map((r) => r.name).join(", ") || "none"}`);
    return found[0];
}

/** A committed stack with `platform:app.vpa` set. */
function withVpa(stack: string, mode: "off" | "recommend"): StackConfigMap {
    const map = readStackFile(stack);
    const app = JSON.parse(map.config["platform:app"] ?? "{}") as Record<string, unknown>;
    return { ...map, config: { ...map.config, "platform:app": JSON.stringify({ ...app, vpa: mode }) } };
}

async function run(stack: string, map: StackConfigMap): Promise<StackRun> {
    const result = await runStack(stack, map);
    if (result.error) throw result.error;
    return result;
}

const CLUSTER = "platform-staging";
const CA_IMAGE =
    "registry.k8s.io/autoscaling/cluster-autoscaler:v1.33.1@sha256:0d53371b73eae57dbed927a72b71d4fe756ce4dbfe528b4217a1078cb13445f0";

describe("autoscaling on staging (aws, committed)", () => {
    let staging: StackRun;
    before(async () => {
        staging = await run("staging", readStackFile("staging"));
    });

    it("installs metrics-server as an EKS add-on at the version Pulumi.staging.yaml pins, after the nodes", () => {
        const addon = ofType(staging.registrations, "aws:eks/addon:Addon").find((a) => a.inputs.addonName === "metrics-server");
        assert.ok(addon, "no metrics-server add-on");
        assert.strictEqual(addon.inputs.addonVersion, "v0.8.0-eksbuild.2");
        assert.strictEqual(addon.name, "aws-addons-metrics-server");
    });

    it("tags the node group for the autoscaler's discovery", () => {
        const tags = record(one(staging, "aws:eks/nodeGroup:NodeGroup").inputs.tags);
        assert.strictEqual(tags["k8s.io/cluster-autoscaler/enabled"], "true");
        assert.strictEqual(tags[`k8s.io/cluster-autoscaler/${CLUSTER}`], "owned");
    });

    it("runs the cluster autoscaler pinned by digest for Kubernetes 1.33, with the configured flags", () => {
        const deployment = one(staging, "kubernetes:apps/v1:Deployment", "aws-cluster-autoscaler-deployment");
        assert.strictEqual(at(deployment.inputs, "metadata.namespace"), "kube-system");
        const pod = record(at(deployment.inputs, "spec.template.spec"));
        const container = record(list(pod.containers)[0]);
        assert.strictEqual(container.image, CA_IMAGE);
        assert.deepStrictEqual(container.command, ["/cluster-autoscaler"]);
        assert.deepStrictEqual(container.args, [
            "--cloud-provider=aws",
            `--node-group-auto-discovery=asg:tag=k8s.io/cluster-autoscaler/enabled,k8s.io/cluster-autoscaler/${CLUSTER}`,
            "--expander=least-waste",
            "--balance-similar-node-groups=true",
            "--skip-nodes-with-local-storage=false",
            "--scale-down-unneeded-time=10m",
            "--scale-down-delay-after-add=10m",
            "--address=:8085",
        ]);
        assert.deepStrictEqual(container.env, [{ name: "AWS_REGION", value: "eu-west-1" }]);
        assert.strictEqual(pod.priorityClassName, "system-cluster-critical");
        assert.strictEqual(pod.serviceAccountName, "cluster-autoscaler");
        assert.strictEqual(pod.automountServiceAccountToken, false);
        assert.strictEqual(at(deployment.inputs, "spec.replicas"), 1);
        const annotations = record(at(deployment.inputs, "spec.template.metadata.annotations"));
        assert.strictEqual(annotations["cluster-autoscaler.kubernetes.io/safe-to-evict"], "false");
        const security = record(container.securityContext);
        assert.deepStrictEqual(
            [security.runAsNonRoot, security.readOnlyRootFilesystem, security.allowPrivilegeEscalation, at(security, "capabilities.drop")],
            [true, true, false, ["ALL"]],
        );
        assert.deepStrictEqual(at(container, "resources.requests"), { cpu: "100m", memory: "300Mi" });
    });

    it("gives the autoscaler an IRSA role only its own service account can assume", () => {
        const role = one(staging, "aws:iam/role:Role", "aws-cluster-autoscaler-role");
        const statements = list(at(JSON.parse(String(role.inputs.assumeRolePolicy)), "Statement"));
        assert.strictEqual(statements.length, 1);
        assert.deepStrictEqual(at(statements[0], "Condition.StringEquals"), {
            "oidc.eks.eu-west-1.amazonaws.com/id/AWS-EKS-CLUSTER:sub": "system:serviceaccount:kube-system:cluster-autoscaler",
            "oidc.eks.eu-west-1.amazonaws.com/id/AWS-EKS-CLUSTER:aud": "sts.amazonaws.com",
        });
        const account = one(staging, "kubernetes:core/v1:ServiceAccount", "aws-cluster-autoscaler-sa");
        assert.deepStrictEqual(at(account.inputs, "metadata.annotations"), {
            "eks.amazonaws.com/role-arn": `arn:aws:iam::${FAKE_ACCOUNT}:role/${role.name}`,
        });
        assert.strictEqual(account.inputs.automountServiceAccountToken, false);
    });

    it("lets the role describe anything but resize only Auto Scaling groups tagged as owned by this cluster", () => {
        const policy = one(staging, "aws:iam/rolePolicy:RolePolicy", "aws-cluster-autoscaler-policy");
        const statements = list(at(JSON.parse(String(policy.inputs.policy)), "Statement")).map(record);
        const writes = statements.filter((s) => list(s.Action).some((a) => !/:(Describe|Get)/.test(String(a))));
        assert.strictEqual(writes.length, 1);
        assert.deepStrictEqual(writes[0].Action, ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"]);
        assert.deepStrictEqual(writes[0].Condition, {
            StringEquals: { [`aws:ResourceTag/k8s.io/cluster-autoscaler/${CLUSTER}`]: "owned" },
        });
        for (const s of statements.filter((s) => s !== writes[0])) {
            assert.strictEqual(s.Resource, "*");
            for (const action of list(s.Action)) assert.match(String(action), /^(autoscaling|ec2|eks):(Describe|Get)/);
        }
    });

    it("binds the autoscaler's RBAC to its service account only", () => {
        for (const type of [
            "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding",
            "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding",
        ]) {
            const binding = ofType(staging.registrations, type).find((b) => b.name.startsWith("aws-cluster-autoscaler-"));
            assert.ok(binding, type);
            assert.deepStrictEqual(binding.inputs.subjects, [
                { kind: "ServiceAccount", name: "cluster-autoscaler", namespace: "kube-system" },
            ]);
        }
        const rules = list(
            one(staging, "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole", "aws-cluster-autoscaler-cluster-role").inputs.rules,
        );
        assert.ok(rules.every((r) => !list(at(r, "resources")).includes("secrets") && !list(at(r, "verbs")).includes("*")));
    });

    it("runs the VPA recommender with the VPA and checkpoint CRDs (autoscaling.k8s.io/v1), pinned by digest", () => {
        const crds = ofType(staging.registrations, "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition");
        assert.deepStrictEqual(crds.map((c) => at(c.inputs, "metadata.name")).sort(), [
            "verticalpodautoscalercheckpoints.autoscaling.k8s.io",
            "verticalpodautoscalers.autoscaling.k8s.io",
        ]);
        const vpa = crds.find((c) => at(c.inputs, "metadata.name") === "verticalpodautoscalers.autoscaling.k8s.io")!;
        const version = record(list(at(vpa.inputs, "spec.versions"))[0]);
        assert.deepStrictEqual([version.name, version.served, version.storage, version.subresources], ["v1", true, true, { status: {} }]);
        const deployment = one(staging, "kubernetes:apps/v1:Deployment", "aws-vpa-recommender-deployment");
        const image = String(at(list(at(deployment.inputs, "spec.template.spec.containers"))[0], "image"));
        assert.match(image, /^registry\.k8s\.io\/autoscaling\/vpa-recommender:[\d.]+@sha256:[0-9a-f]{64}$/);
        assert.strictEqual(at(deployment.inputs, "spec.template.spec.serviceAccountName"), "vpa-recommender");
    });
});

describe("autoscaling with app.vpa off everywhere", () => {
    it("staging runs no VPA recommender and no VPA CRDs, and keeps metrics-server and the cluster autoscaler", async () => {
        const off = await run("staging", withVpa("staging", "off"));
        assert.deepStrictEqual(ofType(off.registrations, "platform:cluster:VpaRecommender"), []);
        assert.deepStrictEqual(ofType(off.registrations, "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition"), []);
        assert.strictEqual(ofType(off.registrations, "platform:cluster:ClusterAutoscaler").length, 1);
        assert.ok(ofType(off.registrations, "aws:eks/addon:Addon").some((a) => a.inputs.addonName === "metrics-server"));
    });

    it("prod turns AKS's managed VPA off", async () => {
        const off = await run("prod", withVpa("prod", "off"));
        assert.deepStrictEqual(one(off, "azure-native:containerservice:ManagedCluster").inputs.workloadAutoScalerProfile, {
            verticalPodAutoscaler: { enabled: false },
        });
    });
});

describe("autoscaling on prod (azure, committed)", () => {
    it("enables AKS's managed VPA (app.vpa defaults to recommend) and keeps the user pool's autoscaler", async () => {
        const prod = await run("prod", readStackFile("prod"));
        const cluster = one(prod, "azure-native:containerservice:ManagedCluster");
        assert.deepStrictEqual(cluster.inputs.workloadAutoScalerProfile, { verticalPodAutoscaler: { enabled: true } });
        assert.strictEqual(one(prod, "azure-native:containerservice:AgentPool").inputs.enableAutoScaling, true);
        assert.deepStrictEqual(ofType(prod.registrations, "platform:cluster:VpaRecommender"), []);
    });
});
