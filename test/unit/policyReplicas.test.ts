/**
 * k8s-no-replicas-with-hpa on live objects: stack policies see outputs, where the API server
 * always fills spec.replicas. Only a replicas field the program owns (server-side apply's
 * managedFields) is the program's.
 */
import * as assert from "assert";
import { noReplicasWithHpa, programSetsReplicas } from "../../policy/rules/stack";
import type { StackResourceView } from "../../policy/rule";

function deployment(props: Record<string, unknown>): StackResourceView {
    return {
        type: "kubernetes:apps/v1:Deployment",
        name: "app-web-deployment",
        urn: "urn:d",
        props: { metadata: { name: "web", namespace: "app" }, ...props },
        propertyDependencies: {},
    };
}
const hpa: StackResourceView = {
    type: "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
    name: "app-web-hpa",
    urn: "urn:h",
    props: {
        metadata: { name: "web", namespace: "app" },
        spec: { scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "web" } },
    },
    propertyDependencies: {},
};
const managed = (manager: string, fields: Record<string, unknown>) => ({ manager, operation: "Apply", fieldsV1: fields });

describe("policy: k8s-no-replicas-with-hpa on live objects", () => {
    it("ignores replicas the API server or the HPA set (Pulumi's field manager does not own them)", () => {
        const live = deployment({
            metadata: {
                name: "web",
                namespace: "app",
                managedFields: [
                    managed("pulumi-kubernetes-abc", { "f:spec": { "f:template": {} } }),
                    managed("kube-controller-manager", { "f:spec": { "f:replicas": {} } }),
                ],
            },
            spec: { replicas: 1 },
        });
        assert.strictEqual(programSetsReplicas(live), false);
        assert.deepStrictEqual(noReplicasWithHpa.check([live, hpa]), []);
    });

    it("flags replicas Pulumi's field manager owns", () => {
        const live = deployment({
            metadata: {
                name: "web",
                namespace: "app",
                managedFields: [managed("pulumi-kubernetes-abc", { "f:spec": { "f:replicas": {} } })],
            },
            spec: { replicas: 2 },
        });
        assert.strictEqual(programSetsReplicas(live), true);
        assert.strictEqual(noReplicasWithHpa.check([live, hpa]).length, 1);
    });

    it("flags replicas in a planned object (no managedFields yet: outputs are the program's inputs)", () => {
        assert.strictEqual(programSetsReplicas(deployment({ spec: { replicas: 3 } })), true);
        assert.strictEqual(programSetsReplicas(deployment({ spec: {} })), false);
    });
});
