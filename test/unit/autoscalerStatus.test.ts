/**
 * The autoscaler lines of `npm run status` (scripts/autoscalerStatus.ts), from `kubectl get -o json`
 * lists written after the autoscaling/v2 HPA and autoscaling.k8s.io/v1 VPA API shapes.
 */
import * as assert from "assert";
import { autoscalerStatusLines } from "../../scripts/autoscalerStatus";

const labels = (name: string) => ({
    "app.kubernetes.io/name": name,
    "app.kubernetes.io/component": "web",
    "app.kubernetes.io/part-of": "platform",
    "app.kubernetes.io/managed-by": "pulumi",
});

/** The web HPA under load: two of three pods, CPU above its target, memory below. */
const WEB_HPA = {
    apiVersion: "autoscaling/v2",
    kind: "HorizontalPodAutoscaler",
    metadata: { name: "web", namespace: "app", labels: labels("web") },
    spec: {
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "web" },
        minReplicas: 1,
        maxReplicas: 3,
        metrics: [
            { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 75 } } },
            { type: "Resource", resource: { name: "memory", target: { type: "Utilization", averageUtilization: 85 } } },
        ],
    },
    status: {
        currentReplicas: 2,
        desiredReplicas: 3,
        lastScaleTime: "2026-12-07T07:40:12Z",
        currentMetrics: [
            { type: "Resource", resource: { name: "cpu", current: { averageUtilization: 138, averageValue: "69m" } } },
            { type: "Resource", resource: { name: "memory", current: { averageUtilization: 52, averageValue: "52346880" } } },
        ],
        conditions: [
            {
                type: "AbleToScale",
                status: "True",
                reason: "SucceededRescale",
                message: "the HPA controller was able to update the target scale to 3",
            },
            {
                type: "ScalingActive",
                status: "True",
                reason: "ValidMetricFound",
                message: "the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)",
            },
            {
                type: "ScalingLimited",
                status: "False",
                reason: "DesiredWithinRange",
                message: "the desired count is within the acceptable range",
            },
        ],
    },
};

/** An HPA on a cluster without metrics-server: no current metrics, ScalingActive False. */
const API_HPA_NO_METRICS = {
    apiVersion: "autoscaling/v2",
    kind: "HorizontalPodAutoscaler",
    metadata: { name: "api", namespace: "app", labels: labels("api") },
    spec: {
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "api" },
        minReplicas: 2,
        maxReplicas: 6,
        metrics: [
            { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } },
            { type: "Pods", pods: { metric: { name: "http_requests" }, target: { type: "AverageValue", averageValue: "10" } } },
        ],
    },
    status: {
        currentReplicas: 2,
        desiredReplicas: 2,
        conditions: [
            {
                type: "AbleToScale",
                status: "True",
                reason: "SucceededGetScale",
                message: "the HPA controller was able to get the target's current scale",
            },
            {
                type: "ScalingActive",
                status: "False",
                reason: "FailedGetResourceMetric",
                message:
                    "the HPA was unable to compute the replica count: failed to get cpu utilization: unable to get metrics for resource cpu: unable to fetch metrics from resource metrics API: the server could not find the requested resource (get pods.metrics.k8s.io)",
            },
        ],
    },
};

const vpa = (name: string, status: object) => ({
    apiVersion: "autoscaling.k8s.io/v1",
    kind: "VerticalPodAutoscaler",
    metadata: { name, namespace: "app", labels: labels(name) },
    spec: {
        targetRef: { apiVersion: "apps/v1", kind: "Deployment", name },
        updatePolicy: { updateMode: "Off" },
        resourcePolicy: {
            containerPolicies: [
                {
                    containerName: name,
                    controlledResources: ["cpu", "memory"],
                    minAllowed: { cpu: "25m", memory: "48Mi" },
                    maxAllowed: { cpu: "250m", memory: "192Mi" },
                },
            ],
        },
    },
    status,
});

/** The recommender has seen web: target within bounds for CPU, memory capped at maxAllowed. */
const WEB_VPA = vpa("web", {
    conditions: [{ type: "RecommendationProvided", status: "True", lastTransitionTime: "2026-12-07T07:35:00Z" }],
    recommendation: {
        containerRecommendations: [
            {
                containerName: "web",
                lowerBound: { cpu: "25m", memory: "150Mi" },
                target: { cpu: "63m", memory: "192Mi" },
                uncappedTarget: { cpu: "63m", memory: "262144k" },
                upperBound: { cpu: "250m", memory: "192Mi" },
            },
        ],
    },
});

/** Created a moment ago: the recommender has not written a status yet. */
const API_VPA_FRESH = vpa("api", {});

const list = (items: object[]) => ({ apiVersion: "v1", kind: "List", items, metadata: { resourceVersion: "" } });

describe("npm run status: autoscaler lines", () => {
    it("prints each service's HPA state (replicas, range, metrics current vs target) and its VPA's recommendation", () => {
        assert.deepStrictEqual(autoscalerStatusLines(list([WEB_HPA, API_HPA_NO_METRICS]), list([WEB_VPA, API_VPA_FRESH])), [
            "autoscalers:",
            "  api (app/Deployment/api):",
            "    HPA: 2 replicas, desired 2 (min 2, max 6)",
            "      cpu: <unknown> (target 70% of request)",
            "      http_requests (Pods): <unknown> (target 10)",
            "      not scaling: FailedGetResourceMetric: the HPA was unable to compute the replica count: failed to get cpu utilization: unable to get metrics for resource cpu: unable to fetch metrics from resource metrics API: the server could not find the requested resource (get pods.metrics.k8s.io)",
            "    VPA (Off): no recommendation yet",
            "  web (app/Deployment/web):",
            "    HPA: 2 replicas, desired 3 (min 1, max 3)",
            "      cpu: 138% of request (target 75% of request)",
            "      memory: 52% of request (target 85% of request)",
            "    VPA (Off) recommends requests:",
            "      web: cpu 63m, memory 192Mi (uncapped cpu 63m, memory 262144k)",
        ]);
    });

    it("says the VPA CRD is missing instead of failing, and keeps the HPA lines", () => {
        assert.deepStrictEqual(autoscalerStatusLines(list([WEB_HPA]), undefined).slice(-2), [
            "      memory: 52% of request (target 85% of request)",
            "    VPA: the cluster has no VerticalPodAutoscaler CRD (set platform:app.vpa: off, or install the VPA)",
        ]);
    });

    it("names a service whose vpa is off, and an HPA without metrics by its default (80 % CPU)", () => {
        const bare = { ...WEB_HPA, spec: { ...WEB_HPA.spec, metrics: undefined }, status: { currentReplicas: 1, desiredReplicas: 1 } };
        assert.deepStrictEqual(autoscalerStatusLines(list([bare]), list([])), [
            "autoscalers:",
            "  web (app/Deployment/web):",
            "    HPA: 1 replicas, desired 1 (min 1, max 3)",
            "      cpu: <unknown> (target 80% of request)",
            "    VPA: none (platform:app.vpa is off for this service)",
        ]);
    });

    it("says when nothing is deployed", () => {
        assert.deepStrictEqual(autoscalerStatusLines(list([]), list([])), ["autoscalers: none deployed"]);
    });
});
