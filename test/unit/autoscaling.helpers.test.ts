/**
 * The pure builders of the cluster autoscaler, the VPA recommender and AKS's workload
 * autoscalers, without Pulumi: images per minor, flags from settings, the IAM policy, RBAC and
 * the CRDs' structural schemas.
 */
import * as assert from "assert";
import {
    clusterAutoscalerDeployment,
    clusterAutoscalerFlags,
    clusterAutoscalerImage,
    clusterAutoscalerNamespaceRules,
    clusterAutoscalerPolicy,
} from "../../components/cluster/aws/clusterAutoscaler";
import { autoscalerDiscoveryTags } from "../../components/cluster/aws/nodegroup";
import { workloadAutoScalerProfile } from "../../components/cluster/azure/aks";
import { apiTokenVolume } from "../../components/cluster/systemPods";
import { vpaCrds, vpaRecommenderDeployment, vpaRecommenderRules, VPA_RECOMMENDER_IMAGE } from "../../components/cluster/vpaRecommender";
import { CLUSTER_AUTOSCALER_IMAGE_REF, CLUSTER_AUTOSCALER_IMAGES, clusterAutoscalerImageFor } from "../../model/clusterAutoscaler";
import type { ClusterAutoscalerSettings } from "../../model/targets";
import { at, list, record } from "./support/inspect";

const SETTINGS: ClusterAutoscalerSettings = {
    expander: "most-pods",
    scaleDownUnneededMinutes: 25,
    scaleDownDelayAfterAddMinutes: 0,
    image: "",
};

describe("cluster autoscaler builders", () => {
    it("pins one image per Kubernetes minor, by digest, whose tag is that minor", () => {
        for (const [minor, image] of Object.entries(CLUSTER_AUTOSCALER_IMAGES)) {
            assert.strictEqual(CLUSTER_AUTOSCALER_IMAGE_REF.exec(image)?.[1], minor, image);
            assert.match(image, /^registry\.k8s\.io\/autoscaling\/cluster-autoscaler:v\d+\.\d+\.\d+@sha256:[0-9a-f]{64}$/);
        }
        assert.strictEqual(clusterAutoscalerImageFor("1.34"), undefined);
        assert.strictEqual(clusterAutoscalerImageFor("constructor"), undefined, "no prototype keys");
    });

    it("runs the configured image when set, else the pin for the cluster's minor", () => {
        const mirror = `mirror.example:5000/k8s/cluster-autoscaler:v1.34.0@sha256:${"b".repeat(64)}`;
        assert.strictEqual(clusterAutoscalerImage({ image: mirror }, "1.34"), mirror);
        assert.strictEqual(clusterAutoscalerImage({ image: "" }, "1.32"), CLUSTER_AUTOSCALER_IMAGES["1.32"]);
        assert.throws(() => clusterAutoscalerImage({ image: "" }, "1.34"), /no pinned cluster-autoscaler image for Kubernetes 1\.34/);
    });

    it("turns the settings into flags: expander, scale-down minutes, discovery for the cluster", () => {
        const flags = clusterAutoscalerFlags(SETTINGS, "platform-qa");
        assert.ok(flags.includes("--expander=most-pods"));
        assert.ok(flags.includes("--scale-down-unneeded-time=25m"));
        assert.ok(flags.includes("--scale-down-delay-after-add=0m"));
        assert.ok(
            flags.includes("--node-group-auto-discovery=asg:tag=k8s.io/cluster-autoscaler/enabled,k8s.io/cluster-autoscaler/platform-qa"),
        );
        const tags = Object.keys(autoscalerDiscoveryTags("platform-qa")).sort();
        assert.deepStrictEqual(tags, ["k8s.io/cluster-autoscaler/enabled", "k8s.io/cluster-autoscaler/platform-qa"]);
    });

    it("conditions every capacity write on the cluster's owned tag", () => {
        const statements = list(at(JSON.parse(clusterAutoscalerPolicy("platform-qa")), "Statement")).map(record);
        const writes = statements.find((s) => s.Sid === "ResizeOwnedGroups");
        assert.deepStrictEqual(writes?.Condition, { StringEquals: { "aws:ResourceTag/k8s.io/cluster-autoscaler/platform-qa": "owned" } });
        assert.deepStrictEqual(
            statements.flatMap((s) => list(s.Action)).filter((a) => /SetDesired|Terminate/.test(String(a))),
            ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"],
        );
    });

    it("limits the namespace Role's named ConfigMap access to its status map", () => {
        const named = clusterAutoscalerNamespaceRules().filter((r) => r.resourceNames !== undefined);
        assert.deepStrictEqual(
            named.map((r) => r.resourceNames),
            [["cluster-autoscaler-status"]],
        );
    });

    it("mounts its API token explicitly with a bounded lifetime, no automatic token", () => {
        const spec = record(at(clusterAutoscalerDeployment({ image: "i", flags: [], region: "eu-west-1" }), "spec.template.spec"));
        assert.strictEqual(spec.automountServiceAccountToken, false);
        assert.deepStrictEqual(spec.volumes, [apiTokenVolume()]);
        assert.strictEqual(at(list(at(apiTokenVolume(), "projected.sources"))[0], "serviceAccountToken.expirationSeconds"), 3600);
    });
});

/** Every schema node has a type, or preserves unknown fields as an object: what "structural" requires. */
function untyped(schema: unknown, path = "$"): string[] {
    const node = record(schema);
    const own = typeof node.type === "string" ? [] : [path];
    const children = Object.entries(record(node.properties)).flatMap(([k, v]) => untyped(v, `${path}.${k}`));
    const items = node.items === undefined ? [] : untyped(node.items, `${path}[]`);
    return [...own, ...children, ...items];
}

describe("VPA recommender builders", () => {
    it("defines the two autoscaling.k8s.io/v1 CRDs with structural schemas, VPA with a status subresource", () => {
        const [vpa, checkpoint] = vpaCrds();
        assert.deepStrictEqual(
            [at(vpa, "metadata.name"), at(checkpoint, "metadata.name")],
            ["verticalpodautoscalers.autoscaling.k8s.io", "verticalpodautoscalercheckpoints.autoscaling.k8s.io"],
        );
        for (const crd of [vpa, checkpoint]) {
            const version = record(list(at(crd, "spec.versions"))[0]);
            assert.deepStrictEqual([version.name, version.served, version.storage], ["v1", true, true]);
            assert.deepStrictEqual(untyped(at(version, "schema.openAPIV3Schema")), []);
        }
        assert.deepStrictEqual(at(list(at(vpa, "spec.versions"))[0], "subresources"), { status: {} });
        const modes = at(
            list(at(vpa, "spec.versions"))[0],
            "schema.openAPIV3Schema.properties.spec.properties.updatePolicy.properties.updateMode.enum",
        );
        assert.ok(list(modes).includes("Off"));
    });

    it("writes only VPA status and checkpoints, reads metrics, never secrets", () => {
        const rules = vpaRecommenderRules();
        const writes = rules.filter((r) => list(r.verbs).some((v) => ["create", "patch", "update", "delete"].includes(String(v))));
        assert.deepStrictEqual(writes.flatMap((r) => list(r.resources)).sort(), [
            "verticalpodautoscalercheckpoints",
            "verticalpodautoscalers",
            "verticalpodautoscalers/status",
        ]);
        assert.ok(rules.some((r) => list(r.apiGroups).includes("metrics.k8s.io")));
        assert.ok(rules.every((r) => !list(r.resources).includes("secrets") && !list(r.verbs).includes("*")));
    });

    it("pins the recommender image by digest", () => {
        assert.match(VPA_RECOMMENDER_IMAGE, /^registry\.k8s\.io\/autoscaling\/vpa-recommender:\d+\.\d+\.\d+@sha256:[0-9a-f]{64}$/);
        assert.strictEqual(
            at(list(at(vpaRecommenderDeployment(VPA_RECOMMENDER_IMAGE), "spec.template.spec.containers"))[0], "image"),
            VPA_RECOMMENDER_IMAGE,
        );
    });
});

describe("AKS workload autoscalers", () => {
    it("turns the managed VPA on or explicitly off, and leaves KEDA alone", () => {
        assert.deepStrictEqual(workloadAutoScalerProfile(true), { verticalPodAutoscaler: { enabled: true } });
        assert.deepStrictEqual(workloadAutoScalerProfile(false), { verticalPodAutoscaler: { enabled: false } });
    });
});
