/**
 * Table tests for every config rule: each bad value is rejected with a message naming the key,
 * the value received and the fix; good values pass with their defaults applied.
 */
import * as assert from "assert";
import { parseStackConfig } from "../../stacks/parse";
import { formatProblems } from "../../stacks/problems";
import { fakeFiles } from "./support/files";
import { ctx, parse, problemsOf } from "./support/parseConfig";

describe("config: rules", () => {
    const cases: { name: string; extra: Record<string, unknown>; key: string; value?: string; message: RegExp }[] = [
        {
            name: "unknown top-level key, with a suggestion",
            extra: { "platform:clodu": "x" },
            key: "platform:clodu",
            message: /unknown key; did you mean platform:cloud\?/,
        },
        {
            name: "unknown nested key, with a suggestion",
            extra: { "platform:app": { replicas: { mni: 1 } } },
            key: "platform:app.replicas.mni",
            message: /did you mean platform:app\.replicas\.min\?/,
        },
        {
            name: "min > max replicas",
            extra: { "platform:app": { replicas: { min: 3, max: 2 } } },
            key: "platform:app.replicas.max",
            value: "2",
            message: /must be an integer from 1 to 100 and >= replicas\.min \(3\)/,
        },
        {
            name: "negative replica count",
            extra: { "platform:app": { replicas: { min: -1 } } },
            key: "platform:app.replicas.min",
            value: "-1",
            message: /must be an integer from 1 to 100/,
        },
        {
            name: "non-integer replica count",
            extra: { "platform:app": { replicas: { max: 2.5 } } },
            key: "platform:app.replicas.max",
            value: "2.5",
            message: /must be an integer from 1 to 100/,
        },
        {
            name: "CPU quantity Kubernetes would reject",
            extra: { "platform:app": { cpu: { request: "1.5 cores" } } },
            key: "platform:app.cpu.request",
            value: "1.5 cores",
            message: /must be a CPU quantity such as "250m"/,
        },
        {
            name: "zero CPU",
            extra: { "platform:app": { cpu: { request: "0m" } } },
            key: "platform:app.cpu.request",
            value: "0m",
            message: /greater than 0/,
        },
        {
            name: "CPU limit below request",
            extra: { "platform:app": { cpu: { request: "500m", limit: "250m" } } },
            key: "platform:app.cpu.limit",
            value: "250m",
            message: /must be >= cpu\.request \(500m\)/,
        },
        {
            name: "memory quantity Kubernetes would reject",
            extra: { "platform:app": { memory: { limit: "256MB" } } },
            key: "platform:app.memory.limit",
            value: "256MB",
            message: /must be a memory quantity such as "256Mi"/,
        },
        {
            name: "memory limit below request",
            extra: { "platform:app": { memory: { request: "1Gi", limit: "512Mi" } } },
            key: "platform:app.memory.limit",
            value: "512Mi",
            message: /must be >= memory\.request \(1Gi\)/,
        },
        {
            name: "HPA target out of range",
            extra: { "platform:app": { hpa: { cpuUtilization: 150 } } },
            key: "platform:app.hpa.cpuUtilization",
            value: "150",
            message: /from 10 to 100/,
        },
        {
            name: "HPA scale-down rate of 0 percent (the autoscaler could never scale down)",
            extra: { "platform:app": { hpa: { scaleDown: { percent: 0 } } } },
            key: "platform:app.hpa.scaleDown.percent",
            value: "0",
            message: /from 1 to 100/,
        },
        {
            name: "HPA scale-up window over an hour",
            extra: { "platform:services": [{ name: "web", hpa: { scaleUp: { stabilizationSeconds: 7200 } } }] },
            key: "platform:services[0].hpa.scaleUp.stabilizationSeconds",
            value: "7200",
            message: /from 0 to 3600/,
        },
        {
            name: "VPA mode that applies its numbers (it would fight the HPA)",
            extra: { "platform:app": { vpa: "auto" } },
            key: "platform:app.vpa",
            value: "auto",
            message: /must be off or recommend: a VPA that applies its numbers \(auto\) fights the HorizontalPodAutoscaler/,
        },
        {
            name: "VPA mode unknown, per service",
            extra: { "platform:services": [{ name: "web", vpa: "sometimes" }] },
            key: "platform:services[0].vpa",
            value: "sometimes",
            message: /must be one of off, recommend$/,
        },
        {
            name: "namespace not a DNS label",
            extra: { "platform:app": { namespace: "My_App" } },
            key: "platform:app.namespace",
            value: "My_App",
            message: /RFC 1123 label/,
        },
        {
            name: "duplicate service names",
            extra: { "platform:services": [{ name: "web" }, { name: "web" }] },
            key: "platform:services[1].name",
            value: "web",
            message: /must be unique/,
        },
        {
            name: "container port out of range",
            extra: { "platform:services": [{ name: "web", containerPort: 80 }] },
            key: "platform:services[0].containerPort",
            value: "80",
            message: /from 1024 to 65535/,
        },
        {
            name: "unknown data service",
            extra: { "platform:services": [{ name: "web", needs: ["mysql"] }] },
            key: "platform:services[0].needs[0]",
            value: "mysql",
            message: /must be one of redis, postgres/,
        },
        {
            name: "build platform",
            extra: { "platform:build": { platform: "windows/amd64" } },
            key: "platform:build.platform",
            value: "windows/amd64",
            message: /must be one of linux\/amd64, linux\/arm64/,
        },
        {
            name: "policy waiver without a reason",
            extra: { "platform:policy": { waivers: [{ rule: "k8s-run-as-non-root", reason: "no" }] } },
            key: "platform:policy.waivers[0].reason",
            value: "no",
            message: /must say why/,
        },
        {
            name: "node port outside the node-port range",
            extra: { "platform:local": { kubeconfig: "kc", context: "c", nodePortBase: 8080 } },
            key: "platform:local.nodePortBase",
            value: "8080",
            message: /from 30000 to 32767/,
        },
        {
            name: "namespace typo",
            extra: { "platfrom:cloud": "local" },
            key: "platfrom:cloud",
            message: /unknown namespace; did you mean platform:cloud\?/,
        },
    ];
    for (const c of cases) {
        it(`rejects ${c.name}`, () => {
            const problem = problemsOf(parse(c.extra)).find((p) => p.key === c.key);
            assert.ok(problem, `no problem reported for ${c.key}`);
            assert.strictEqual(problem.value, c.value);
            assert.match(problem.message, c.message);
        });
    }

    it("rejects an unknown cloud and lists the choices", () => {
        const problem = problemsOf(parseStackConfig({ "platform:cloud": "gcp" }, ctx())).find((p) => p.key === "platform:cloud");
        assert.deepStrictEqual(problem, { key: "platform:cloud", value: "gcp", message: "must be one of local, aws, azure, swarm" });
    });

    it("suggests the near choice for a misspelt cloud", () => {
        const problem = problemsOf(parseStackConfig({ "platform:cloud": "azrue" }, ctx())).find((p) => p.key === "platform:cloud");
        assert.match(problem?.message ?? "", /did you mean azure\?/);
    });

    it("requires the block of the selected cloud", () => {
        const problems = problemsOf(parseStackConfig({ "platform:cloud": "local" }, ctx()));
        assert.ok(problems.some((p) => p.key === "platform:local" && /is required when cloud is local/.test(p.message)));
        assert.ok(problems.some((p) => p.key === "platform:local.kubeconfig" && /is required/.test(p.message)));
    });

    it("rejects a kubeconfig path that does not exist, naming the resolved path", () => {
        const problem = problemsOf(parse({}, { files: fakeFiles({ kinds: { "/kc": "missing" } }) })).find(
            (p) => p.key === "platform:local.kubeconfig",
        );
        assert.ok(problem);
        assert.strictEqual(problem.value, "kc");
        assert.match(problem.message, /file \/project\/kc does not exist/);
    });

    it("resolves ~/ in the kubeconfig path against the home folder", () => {
        const result = parse({ "platform:local": { kubeconfig: "~/.kube/dev", context: "c" } });
        assert.ok(result.ok && result.config.cloud === "local");
        assert.strictEqual(result.ok && result.config.cloud === "local" ? result.config.target.kubeconfigPath : "", "/home/user/.kube/dev");
    });

    it("rejects a build context without its Dockerfile", () => {
        const problem = problemsOf(
            parse(
                { "platform:services": [{ name: "api", context: "services/api" }] },
                { files: fakeFiles({ kinds: { Dockerfile: "missing" } }) },
            ),
        ).find((p) => p.key === "platform:services[0].context");
        assert.match(problem?.message ?? "", /has no Dockerfile \(looked for \/project\/services\/api\/Dockerfile\)/);
    });

    it("requires the postgres password secret for an external PostgreSQL", () => {
        const problem = problemsOf(parse({ "platform:data": { postgres: { external: { host: "db.internal" } } } })).find(
            (p) => p.key === "platform:postgresPassword",
        );
        assert.match(problem?.message ?? "", /missing required secret .* pulumi config set --secret platform:postgresPassword/);
    });

    it("refuses a secret key stored in plain text", () => {
        const problem = problemsOf(parse({ "platform:postgresPassword": "hunter2" })).find((p) => p.key === "platform:postgresPassword");
        assert.deepStrictEqual(problem, {
            key: "platform:postgresPassword",
            value: "(plain text)",
            message: "must be stored encrypted; run: pulumi config set --secret platform:postgresPassword <value>",
        });
    });

    it("accepts the external PostgreSQL when its password is a secret", () => {
        const result = parse(
            { "platform:data": { postgres: { external: { host: "db.internal" } } }, "platform:postgresPassword": "x" },
            { secretKeys: new Set(["platform:postgresPassword"]) },
        );
        assert.ok(result.ok);
        assert.deepStrictEqual(result.ok ? result.config.requiredSecrets : [], ["postgresPassword"]);
    });

    it("refuses an external PostgreSQL on a cloud that provisions its own", () => {
        const config = {
            "platform:cloud": "aws",
            "platform:aws": JSON.stringify({ region: "eu-west-1" }),
            "platform:data": JSON.stringify({ postgres: { external: { host: "db.internal" } } }),
            "platform:postgresPassword": "x",
        };
        const problem = problemsOf(parseStackConfig(config, ctx({ secretKeys: new Set(["platform:postgresPassword"]) }))).find(
            (p) => p.key === "platform:data.postgres.external",
        );
        assert.deepStrictEqual(problem, {
            key: "platform:data.postgres.external",
            value: "db.internal",
            message: "is not used with cloud aws, which provisions its managed PostgreSQL; remove it, or use cloud local or swarm",
        });
    });

    it("refuses amd64 images for Graviton nodes", () => {
        const config = {
            "platform:cloud": "aws",
            "platform:aws": JSON.stringify({ region: "eu-west-1", eksNodeInstanceType: "m7g.large" }),
        };
        const problem = problemsOf(parseStackConfig(config, ctx())).find((p) => p.key === "platform:build.platform");
        assert.strictEqual(
            problem?.message,
            "must be linux/arm64 for Graviton (arm64) nodes (aws.eksNodeInstanceType m7g.large); set build.platform: linux/arm64 or pick an instance type of the other architecture",
        );
        const arm = { ...config, "platform:build": JSON.stringify({ platform: "linux/arm64" }) };
        assert.ok(parseStackConfig(arm, ctx()).ok);
    });

    it("treats a1 as Graviton too (one source of truth with the node group's AMI type)", () => {
        const config = {
            "platform:cloud": "aws",
            "platform:aws": JSON.stringify({ region: "eu-west-1", eksNodeInstanceType: "a1.large" }),
        };
        const problem = problemsOf(parseStackConfig(config, ctx())).find((p) => p.key === "platform:build.platform");
        assert.match(problem?.message ?? "", /^must be linux\/arm64 for Graviton \(arm64\) nodes \(aws\.eksNodeInstanceType a1\.large\)/);
    });

    it("refuses arm64 images for x86 nodes", () => {
        const config = {
            "platform:cloud": "aws",
            "platform:aws": JSON.stringify({ region: "eu-west-1", eksNodeInstanceType: "m7i.large" }),
            "platform:build": JSON.stringify({ platform: "linux/arm64" }),
        };
        const problem = problemsOf(parseStackConfig(config, ctx())).find((p) => p.key === "platform:build.platform");
        assert.match(problem?.message ?? "", /^must be linux\/amd64 for x86 \(amd64\) nodes \(aws\.eksNodeInstanceType m7i\.large\)/);
    });

    it("rejects a database name PostgreSQL would refuse", () => {
        const problem = problemsOf(parse({ "platform:data": { postgres: { database: "my-app" } } })).find(
            (p) => p.key === "platform:data.postgres.database",
        );
        assert.match(problem?.message ?? "", /must be a PostgreSQL identifier/);
    });

    it("reports every problem at once", () => {
        const problems = problemsOf(parse({ "platform:clodu": "x", "platform:app": { replicas: { min: 0 }, cpu: { request: "x" } } }));
        assert.deepStrictEqual(problems.map((p) => p.key).sort(), [
            "platform:app.cpu.request",
            "platform:app.replicas.min",
            "platform:clodu",
        ]);
    });

    it("formats problems as the README shows them", () => {
        const text = formatProblems("dev", [
            { key: "platform:clodu", message: "unknown key; did you mean platform:cloud?" },
            { key: "platform:app.replicas.max", value: "0", message: "must be an integer from 1 to 100" },
        ]);
        assert.strictEqual(
            text,
            [
                'stack "dev" has 2 config problems in Pulumi.dev.yaml:',
                "  platform:app.replicas.max = 0   must be an integer from 1 to 100",
                "  platform:clodu                  unknown key; did you mean platform:cloud?",
            ].join("\n"),
        );
    });
});

describe("config: defaults and resolution", () => {
    it("applies the documented defaults", () => {
        const result = parse({});
        assert.ok(result.ok);
        if (!result.ok) return;
        const [web] = result.config.app.services;
        assert.deepStrictEqual(
            {
                namespace: result.config.app.namespace,
                ttl: result.config.app.cacheTtlSeconds,
                replicas: web.replicas,
                cpu: web.cpu,
                memory: web.memory,
                hpa: web.hpa,
                port: web.containerPort,
            },
            {
                namespace: "app",
                ttl: 60,
                replicas: { min: 2, max: 4 },
                cpu: { request: "100m", limit: "500m" },
                memory: { request: "128Mi", limit: "256Mi" },
                hpa: {
                    cpuUtilization: 70,
                    memoryUtilization: 80,
                    // Up at once (double or 4 pods per 15 s), down slowly (5-minute window, half a minute).
                    scaleUp: { stabilizationSeconds: 0, percent: 100, pods: 4, periodSeconds: 15 },
                    scaleDown: { stabilizationSeconds: 300, percent: 50, periodSeconds: 60 },
                },
                port: 8080,
            },
        );
        assert.strictEqual(web.contextDir, "/project/app");
    });

    it("lets a service override the app's scaling", () => {
        const result = parse({
            "platform:app": { replicas: { min: 2, max: 5 } },
            "platform:services": [{ name: "web" }, { name: "worker", replicas: { min: 1, max: 1 }, public: false }],
        });
        assert.ok(result.ok);
        if (!result.ok) return;
        assert.deepStrictEqual(
            result.config.app.services.map((s) => [s.name, s.replicas.min, s.replicas.max, s.public]),
            [
                ["web", 2, 5, true],
                ["worker", 1, 1, false],
            ],
        );
    });

    it("takes the HPA's pace from config, a key left out keeping its default", () => {
        const result = parse({
            "platform:app": { hpa: { scaleUp: { pods: 2 }, scaleDown: { stabilizationSeconds: 30, periodSeconds: 15 } } },
        });
        assert.ok(result.ok);
        if (!result.ok) return;
        const { scaleUp, scaleDown } = result.config.app.services[0].hpa;
        assert.deepStrictEqual(scaleUp, { stabilizationSeconds: 0, percent: 100, pods: 2, periodSeconds: 15 });
        assert.deepStrictEqual(scaleDown, { stabilizationSeconds: 30, percent: 50, periodSeconds: 15 });
    });

    it("recommends requests by default and lets a service turn its VPA off", () => {
        const result = parse({ "platform:services": [{ name: "web" }, { name: "worker", public: false, vpa: "off" }] });
        assert.ok(result.ok);
        if (!result.ok) return;
        assert.deepStrictEqual(
            result.config.app.services.map((s) => [s.name, s.vpa]),
            [
                ["web", "recommend"],
                ["worker", "off"],
            ],
        );
    });

    it("freezes the parsed config", () => {
        const result = parse({});
        assert.ok(result.ok && Object.isFrozen(result.config) && Object.isFrozen(result.config.app.services[0]));
    });

    it("ignores other namespaces (providers, pulumi)", () => {
        assert.ok(parse({ "pulumi:disable-default-providers": ["kubernetes"], "kubernetes:context": "x" }).ok);
    });
});
