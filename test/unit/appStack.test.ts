/**
 * The app stack under mocks, per committed stack: what runs matches the stack's config, every
 * container is hardened and probed, the autoscaler owns the replica count, networking is
 * default-deny, and no secret is registered in plain text.
 */
import * as assert from "assert";
import { parseStackConfig } from "../../stacks/parse";
import { fakeSecret } from "../../harness/fakeOutputs";
import { at, list, ofType, plainStrings, record } from "./support/inspect";
import type { Registration } from "../../harness/mocks";
import { isSecret, runStack, scratchKubeconfigPath, StackRun, valueOf, withScratchKubeconfig } from "../../harness/runStack";
import { COMMITTED_STACKS } from "../../harness/committedStacks";
import { PROJECT_DIR, readStackFile, type StackConfigMap } from "../../harness/stackFiles";
import { fakeFiles } from "./support/files";
import { ServiceSpec } from "../../model/app";
import { vpaBounds } from "../../components/app/kubernetes/vpaSpec";
import { StackConfig } from "../../model/stack";

function configOf(stack: string): StackConfig {
    const map = withScratchKubeconfig(readStackFile(stack));
    const result = parseStackConfig(map.config, {
        stack,
        projectDir: PROJECT_DIR,
        project: "platform",
        homeDir: "/h",
        secretKeys: new Set(map.secretKeys),
        files: fakeFiles(),
    });
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    return result.config;
}

/** A container's env as name → literal value. */
function envOf(container: Record<string, unknown>): Record<string, unknown> {
    return Object.fromEntries(list(container.env).map((e): [string, unknown] => [String(at(e, "name")), at(e, "value")]));
}

function containersOf(r: Registration): Record<string, unknown>[] {
    return list(at(r.inputs, "spec.template.spec.containers")).map(record);
}

const WORKLOAD_TYPES = ["kubernetes:apps/v1:Deployment", "kubernetes:apps/v1:StatefulSet"];

const VPA = "kubernetes:autoscaling.k8s.io/v1:VerticalPodAutoscaler";

/** The web container's recommendation bounds per stack: half the request up to the limit (components/app/kubernetes/vpaSpec.ts). */
const VPA_BOUNDS: Readonly<Record<string, { minAllowed: { cpu: string; memory: string }; maxAllowed: { cpu: string; memory: string } }>> = {
    dev: { minAllowed: { cpu: "25m", memory: "48Mi" }, maxAllowed: { cpu: "250m", memory: "192Mi" } },
    staging: { minAllowed: { cpu: "50m", memory: "64Mi" }, maxAllowed: { cpu: "500m", memory: "256Mi" } },
    prod: { minAllowed: { cpu: "125m", memory: "128Mi" }, maxAllowed: { cpu: "1", memory: "512Mi" } },
};

/** A committed stack's config map with `platform:<key>` replaced (a copy). */
function withConfig(stack: string, key: string, value: unknown): StackConfigMap {
    const map = readStackFile(stack);
    return { ...map, config: { ...map.config, [`platform:${key}`]: JSON.stringify(value) } };
}

/** Stacks whose target is a Kubernetes cluster (the Swarm renderer has its own tests). */
const KUBERNETES_STACKS = COMMITTED_STACKS.filter((stack) => readStackFile(stack).config["platform:cloud"] !== "swarm");

for (const stack of KUBERNETES_STACKS) {
    describe(`app stack on ${stack}`, () => {
        let run: StackRun;
        let config: StackConfig;
        const deploymentOf = (service: ServiceSpec) =>
            ofType(run.registrations, "kubernetes:apps/v1:Deployment").find((d) => at(d.inputs, "metadata.name") === service.name);
        const hpaOf = (service: ServiceSpec) =>
            ofType(run.registrations, "kubernetes:autoscaling/v2:HorizontalPodAutoscaler").find(
                (d) => at(d.inputs, "metadata.name") === service.name,
            );

        before(async () => {
            config = configOf(stack);
            run = await runStack(stack, withScratchKubeconfig(readStackFile(stack)));
            if (run.error) throw run.error;
        });

        it("registers every kind the app stack needs", () => {
            const types = new Set(run.registrations.map((r) => r.type));
            for (const kind of ["Namespace", "Service", "Secret", "ServiceAccount"])
                assert.ok(types.has(`kubernetes:core/v1:${kind}`), kind);
            for (const type of [
                "kubernetes:apps/v1:Deployment",
                "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
                "kubernetes:policy/v1:PodDisruptionBudget",
                "kubernetes:networking.k8s.io/v1:NetworkPolicy",
            ]) {
                assert.ok(types.has(type), type);
            }
        });

        it("sizes each service's HPA and containers exactly as the stack config says", () => {
            for (const service of config.app.services) {
                const hpa = hpaOf(service);
                assert.ok(hpa, `no HPA for ${service.name}`);
                assert.deepStrictEqual(
                    { min: at(hpa.inputs, "spec.minReplicas"), max: at(hpa.inputs, "spec.maxReplicas") },
                    { min: service.replicas.min, max: service.replicas.max },
                );
                const targets = list(at(hpa.inputs, "spec.metrics")).map((m) => [
                    at(m, "resource.name"),
                    at(m, "resource.target.averageUtilization"),
                ]);
                assert.deepStrictEqual(targets, [
                    ["cpu", service.hpa.cpuUtilization],
                    ["memory", service.hpa.memoryUtilization],
                ]);
                const { scaleUp, scaleDown } = service.hpa;
                assert.deepStrictEqual(at(hpa.inputs, "spec.behavior"), {
                    scaleUp: {
                        stabilizationWindowSeconds: scaleUp.stabilizationSeconds,
                        selectPolicy: "Max",
                        policies: [
                            { type: "Percent", value: scaleUp.percent, periodSeconds: scaleUp.periodSeconds },
                            { type: "Pods", value: scaleUp.pods, periodSeconds: scaleUp.periodSeconds },
                        ],
                    },
                    scaleDown: {
                        stabilizationWindowSeconds: scaleDown.stabilizationSeconds,
                        selectPolicy: "Max",
                        policies: [{ type: "Percent", value: scaleDown.percent, periodSeconds: scaleDown.periodSeconds }],
                    },
                });
                const deployment = deploymentOf(service);
                assert.ok(deployment, `no Deployment for ${service.name}`);
                assert.deepStrictEqual(containersOf(deployment)[0].resources, {
                    requests: { cpu: service.cpu.request, memory: service.memory.request },
                    limits: { cpu: service.cpu.limit, memory: service.memory.limit },
                });
            }
        });

        it("registers one VPA per service beside its HPA: recommendations only (updateMode Off), bounded by the service's requests and limits", () => {
            const vpas = ofType(run.registrations, VPA);
            assert.deepStrictEqual(
                vpas.map((v) => [v.name, v.parentType, at(v.inputs, "metadata.name"), at(v.inputs, "metadata.namespace")]),
                config.app.services.map((s) => [`app-${s.name}-vpa`, "platform:app:KubernetesApp", s.name, config.app.namespace]),
            );
            assert.deepStrictEqual(
                vpas.map((v) => at(v.inputs, "metadata.labels")),
                config.app.services.map((s) => at(hpaOf(s)?.inputs, "metadata.labels")),
            );
            const [web] = vpas;
            assert.deepStrictEqual(
                [at(web.inputs, "apiVersion"), at(web.inputs, "kind")],
                ["autoscaling.k8s.io/v1", "VerticalPodAutoscaler"],
            );
            assert.deepStrictEqual(at(web.inputs, "spec"), {
                targetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "web" },
                updatePolicy: { updateMode: "Off" },
                resourcePolicy: {
                    containerPolicies: [{ containerName: "web", controlledResources: ["cpu", "memory"], ...VPA_BOUNDS[stack] }],
                },
            });
        });

        it("leaves spec.replicas to the HPA on every Deployment it scales", () => {
            for (const service of config.app.services) {
                const deployment = deploymentOf(service);
                assert.ok(deployment);
                assert.strictEqual(at(deployment.inputs, "spec.replicas"), undefined, `${service.name} sets replicas`);
                assert.strictEqual(at(hpaOf(service)?.inputs, "spec.scaleTargetRef.name"), service.name);
            }
        });

        it("probes, limits and hardens every container (PSS restricted)", () => {
            const workloads = run.registrations.filter((r) => WORKLOAD_TYPES.includes(r.type));
            assert.ok(workloads.length > 0);
            for (const workload of workloads) {
                const pod = record(at(workload.inputs, "spec.template.spec"));
                assert.strictEqual(at(pod, "securityContext.runAsNonRoot"), true, workload.name);
                assert.strictEqual(at(pod, "securityContext.seccompProfile.type"), "RuntimeDefault", workload.name);
                assert.strictEqual(pod.automountServiceAccountToken, false, workload.name);
                for (const container of containersOf(workload)) {
                    const where = `${workload.name}/${String(container.name)}`;
                    assert.ok(container.livenessProbe && container.readinessProbe, `${where} lacks probes`);
                    assert.ok(at(container, "resources.limits.cpu") && at(container, "resources.limits.memory"), `${where} lacks limits`);
                    assert.ok(
                        at(container, "resources.requests.cpu") && at(container, "resources.requests.memory"),
                        `${where} lacks requests`,
                    );
                    assert.deepStrictEqual(
                        {
                            nonRoot: at(container, "securityContext.runAsNonRoot"),
                            escalation: at(container, "securityContext.allowPrivilegeEscalation"),
                            readOnly: at(container, "securityContext.readOnlyRootFilesystem"),
                            drop: at(container, "securityContext.capabilities.drop"),
                            seccomp: at(container, "securityContext.seccompProfile.type"),
                        },
                        { nonRoot: true, escalation: false, readOnly: true, drop: ["ALL"], seccomp: "RuntimeDefault" },
                        where,
                    );
                    assert.match(String(container.image), /@sha256:[0-9a-f]{64}$/, `${where} image not pinned by digest`);
                }
            }
        });

        it("probes a new service pod into the endpoints within 2 s of its start, with 60 s to start and 10 s of failures to leave", () => {
            for (const service of config.app.services) {
                const [container] = containersOf(deploymentOf(service) as Registration);
                const budget = (probe: string) =>
                    Number(at(container, `${probe}.periodSeconds`)) * Number(at(container, `${probe}.failureThreshold`));
                assert.deepStrictEqual(
                    {
                        startupPeriod: at(container, "startupProbe.periodSeconds"),
                        startupBudget: budget("startupProbe"),
                        readinessPeriod: at(container, "readinessProbe.periodSeconds"),
                        readinessBudget: budget("readinessProbe"),
                        maxUnavailable: at(deploymentOf(service)?.inputs, "spec.strategy.rollingUpdate.maxUnavailable"),
                        preStopSeconds: at(container, "lifecycle.preStop.sleep.seconds"),
                    },
                    { startupPeriod: 1, startupBudget: 60, readinessPeriod: 2, readinessBudget: 10, maxUnavailable: 0, preStopSeconds: 5 },
                    service.name,
                );
            }
        });

        it("gives every multi-replica workload a PDB and never lets a rollout drop below it", () => {
            const pdbs = ofType(run.registrations, "kubernetes:policy/v1:PodDisruptionBudget");
            for (const service of config.app.services) {
                const pdb = pdbs.find((p) => at(p.inputs, "metadata.name") === service.name);
                assert.ok(pdb, `no PDB for ${service.name}`);
                assert.deepStrictEqual(at(pdb.inputs, "spec.selector.matchLabels"), { "app.kubernetes.io/name": service.name });
                assert.strictEqual(at(pdb.inputs, "spec.unhealthyPodEvictionPolicy"), "AlwaysAllow");
                assert.strictEqual(at(deploymentOf(service)?.inputs, "spec.strategy.rollingUpdate.maxUnavailable"), 0);
            }
        });

        it("denies all traffic by default in every namespace it creates, then allows DNS", () => {
            const namespaces = ofType(run.registrations, "kubernetes:core/v1:Namespace").map((n) => at(n.inputs, "metadata.name"));
            assert.deepStrictEqual(namespaces, [config.app.namespace]);
            const policies = ofType(run.registrations, "kubernetes:networking.k8s.io/v1:NetworkPolicy");
            for (const namespace of namespaces) {
                const deny = policies.find(
                    (p) => at(p.inputs, "metadata.namespace") === namespace && at(p.inputs, "metadata.name") === "default-deny",
                );
                assert.ok(deny, `no default-deny in ${JSON.stringify(namespace)}`);
                assert.deepStrictEqual(at(deny.inputs, "spec"), { podSelector: {}, policyTypes: ["Ingress", "Egress"] });
            }
            for (const namespace of ofType(run.registrations, "kubernetes:core/v1:Namespace")) {
                assert.strictEqual(record(at(namespace.inputs, "metadata.labels"))["pod-security.kubernetes.io/enforce"], "restricted");
            }
        });

        it("registers no secret value in plain text", () => {
            const kubeconfigToken = "test-token-value";
            for (const r of run.registrations) {
                for (const text of plainStrings(r.wireInputs)) {
                    assert.ok(!text.includes("mock-secret-"), `${r.type}::${r.name} holds a generated secret in plain text`);
                    assert.ok(!text.includes(kubeconfigToken), `${r.type}::${r.name} holds kubeconfig credentials in plain text`);
                }
            }
            assert.ok(fakeSecret("x").startsWith("mock-secret-"), "fake secrets must keep the prefix this test searches for");
        });

        it("delivers passwords as files mounted from the connection Secret, never as env values", () => {
            for (const service of config.app.services) {
                const deployment = deploymentOf(service)!;
                const container = containersOf(deployment)[0];
                const env = envOf(container);
                for (const secretName of ["REDIS_PASSWORD", "PGPASSWORD"])
                    assert.ok(!(secretName in env), `${service.name} has ${secretName} as an env value`);
                assert.ok(
                    list(container.env).every((e) => at(e, "valueFrom") === undefined),
                    `${service.name} reads env from a Secret`,
                );
                assert.strictEqual(container.envFrom, undefined);
                if (service.needs.redis) assert.strictEqual(env.REDIS_PASSWORD_FILE, "/run/secrets/redis-password");
                if (service.needs.postgres) assert.strictEqual(env.PGPASSWORD_FILE, "/run/secrets/postgres-password");
                const volume = list(at(deployment.inputs, "spec.template.spec.volumes")).find((v) => at(v, "name") === "connection");
                assert.deepStrictEqual(at(volume, "secret"), { secretName: `${service.name}-connection`, defaultMode: 0o440 });
                assert.deepStrictEqual(
                    list(container.volumeMounts).find((m) => at(m, "name") === "connection"),
                    { name: "connection", mountPath: "/run/secrets", readOnly: true },
                );
            }
        });

        it("mounts the data services' credentials as files too (in-cluster data)", () => {
            for (const set of ofType(run.registrations, "kubernetes:apps/v1:StatefulSet")) {
                const container = containersOf(set)[0];
                assert.ok(
                    list(container.env).every((e) => at(e, "valueFrom") === undefined),
                    `${set.name} reads env from a Secret`,
                );
                assert.ok(
                    list(container.args).every((a) => !String(a).includes("$(")),
                    `${set.name} expands a variable into its arguments`,
                );
                const volume = list(at(set.inputs, "spec.template.spec.volumes")).find((v) => at(v, "name") === "auth");
                assert.strictEqual(at(volume, "secret.secretName"), `${String(at(set.inputs, "metadata.name"))}-auth`);
            }
            const postgres = ofType(run.registrations, "kubernetes:apps/v1:StatefulSet").find(
                (s) => at(s.inputs, "metadata.name") === "postgres",
            );
            if (postgres) {
                const env = envOf(containersOf(postgres)[0]);
                assert.strictEqual(env.POSTGRES_PASSWORD_FILE, "/run/secrets/password");
                assert.strictEqual(env.POSTGRES_USER_FILE, "/run/secrets/user");
            }
            const redis = ofType(run.registrations, "kubernetes:apps/v1:StatefulSet").find(
                (s) => at(s.inputs, "metadata.name") === "redis",
            );
            if (redis) assert.strictEqual(list(containersOf(redis)[0].args)[0], "/run/secrets/redis.conf");
        });

        it("exports the same outputs as every target, with the kubeconfig secret", async () => {
            const outputs = run.outputs!;
            assert.strictEqual(outputs.cloud, config.cloud);
            assert.match(await valueOf(outputs.appUrl), /^http:\/\/\S+/);
            assert.ok(await isSecret(outputs.kubeconfig), "kubeconfig must be secret");
            assert.ok((await valueOf(outputs.clusterName)).length > 0);
            const images = await valueOf(outputs.images);
            assert.deepStrictEqual(Object.keys(images).sort(), config.app.services.map((s) => s.name).sort());
        });
    });
}

describe("app stack on dev: local specifics", () => {
    it("runs Redis and PostgreSQL in the cluster as StatefulSets with volumes and publishes the app on its node port", async () => {
        const run = await runStack("dev", withScratchKubeconfig(readStackFile("dev")));
        if (run.error) throw run.error;
        const sets = ofType(run.registrations, "kubernetes:apps/v1:StatefulSet");
        assert.deepStrictEqual(sets.map((s) => at(s.inputs, "metadata.name")).sort(), ["postgres", "redis"]);
        for (const set of sets) assert.ok(list(at(set.inputs, "spec.volumeClaimTemplates")).length === 1, `${set.name} without a volume`);
        const web = ofType(run.registrations, "kubernetes:core/v1:Service").find((s) => at(s.inputs, "metadata.name") === "web");
        assert.strictEqual(at(web?.inputs, "spec.type"), "NodePort");
        assert.strictEqual(at(list(at(web?.inputs, "spec.ports"))[0], "nodePort"), 30080);
        assert.strictEqual(await valueOf(run.outputs!.appUrl), "http://127.0.0.1:30080");
        assert.ok(scratchKubeconfigPath().length > 0);
    });

    it("hands the app the in-cluster data's hosts and ports as plain env values", async () => {
        const run = await runStack("dev", withScratchKubeconfig(readStackFile("dev")));
        if (run.error) throw run.error;
        const web = ofType(run.registrations, "kubernetes:apps/v1:Deployment").find((d) => at(d.inputs, "metadata.name") === "web");
        assert.ok(web, "no web Deployment");
        const env = envOf(containersOf(web)[0]);
        assert.strictEqual(env.REDIS_PORT, "6379");
        assert.strictEqual(env.PGPORT, "5432");
        assert.strictEqual(env.REDIS_TLS, "false");
    });
});

describe("app stack: VerticalPodAutoscaler per platform:app.vpa", () => {
    const vpaNames = (run: StackRun) => ofType(run.registrations, VPA).map((v) => at(v.inputs, "metadata.name"));

    it("vpa: off (app-wide) registers no VPA on dev, and the HPA still", async () => {
        const app = JSON.parse(readStackFile("dev").config["platform:app"]) as Record<string, unknown>;
        const run = await runStack("dev", withScratchKubeconfig(withConfig("dev", "app", { ...app, vpa: "off" })));
        if (run.error) throw run.error;
        assert.deepStrictEqual(vpaNames(run), []);
        assert.strictEqual(ofType(run.registrations, "kubernetes:autoscaling/v2:HorizontalPodAutoscaler").length, 1);
    });

    it("a service's vpa: off overrides the app's recommend on staging: only the other service gets one", async () => {
        const run = await runStack(
            "staging",
            withConfig("staging", "services", [{ name: "web" }, { name: "worker", public: false, vpa: "off" }]),
        );
        if (run.error) throw run.error;
        assert.deepStrictEqual(vpaNames(run), ["web"]);
        assert.deepStrictEqual(
            ofType(run.registrations, "kubernetes:autoscaling/v2:HorizontalPodAutoscaler").map((h) => at(h.inputs, "metadata.name")),
            ["web", "worker"],
        );
    });

    it("swarm registers none (Swarm has no autoscaler)", async () => {
        const run = await runStack("swarm", readStackFile("swarm"));
        if (run.error) throw run.error;
        assert.ok(run.registrations.length > 0);
        assert.deepStrictEqual(
            run.registrations.filter((r) => /VerticalPodAutoscaler|HorizontalPodAutoscaler/.test(r.type)).map((r) => r.type),
            [],
        );
    });
});

describe("vpaBounds: half the request up to the limit", () => {
    const service = (cpu: [string, string], memory: [string, string]) =>
        ({ cpu: { request: cpu[0], limit: cpu[1] }, memory: { request: memory[0], limit: memory[1] } }) as unknown as ServiceSpec;

    it("halves cores and decimal or binary memory into millicores and Mi, keeps the limits as written", () => {
        assert.deepStrictEqual(vpaBounds(service(["1.5", "2"], ["1Gi", "2Gi"])), {
            minAllowed: { cpu: "750m", memory: "512Mi" },
            maxAllowed: { cpu: "2", memory: "2Gi" },
        });
        assert.deepStrictEqual(vpaBounds(service(["1m", "1m"], ["1G", "1G"])).minAllowed, { cpu: "1m", memory: "476Mi" });
    });
});
