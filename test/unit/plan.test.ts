/**
 * planStack decides once what each committed stack contains: the images it builds, where each
 * data service lives, which services are public and which deployer takes it; and a platform
 * that disagrees with the plan is refused.
 */
import * as assert from "assert";
import * as path from "path";
import { PROJECT_DIR, readStackFile } from "../../harness/stackFiles";
import { diskFiles } from "../../stacks/diskFiles";
import { parseStackConfig } from "../../stacks/parse";
import { assertPlatformFitsPlan, planStack, StackPlan, SWARM_PROXY_IMAGE } from "../../stacks/plan";
import type { StackConfig } from "../../model/stack";
import type { DataEndpoints } from "../../components/cluster/platform";
import { TEST_KUBECONFIG } from "./support/files";

/** The committed stack's config, parsed as the program would (extra keys merged in, JSON like Pulumi passes them). */
function committedConfig(stack: string, extra: Record<string, unknown> = {}, extraSecrets: string[] = []): StackConfig {
    const map = readStackFile(stack);
    const config = { ...map.config };
    for (const [key, value] of Object.entries(extra)) config[key] = typeof value === "string" ? value : JSON.stringify(value);
    const result = parseStackConfig(config, {
        stack,
        projectDir: PROJECT_DIR,
        project: "platform",
        homeDir: "/home/user",
        secretKeys: new Set([...map.secretKeys, ...extraSecrets]),
        files: {
            kind: (p) => (p.endsWith("/.platform/kubeconfig") ? "file" : diskFiles.kind(p)),
            readText: (p) => (p.endsWith("/.platform/kubeconfig") ? TEST_KUBECONFIG : diskFiles.readText(p)),
        },
    });
    if (!result.ok) throw new Error(JSON.stringify(result.problems, null, 2));
    return result.config;
}

const imageNames = (plan: StackPlan) => plan.images.map((image) => image.name);

describe("planStack, per committed stack", () => {
    it("dev (local): Kubernetes, Redis and PostgreSQL in the platform, their images built after the web service's", () => {
        const plan = planStack(committedConfig("dev"));
        assert.strictEqual(plan.cloud, "local");
        assert.strictEqual(plan.platformKind, "kubernetes");
        assert.deepStrictEqual(plan.data, { redis: "platform", postgres: "platform" });
        assert.deepStrictEqual(plan.inPlatformData, ["redis", "postgres"]);
        assert.deepStrictEqual(imageNames(plan), ["web", "platform-redis", "platform-postgres"]);
        assert.deepStrictEqual(plan.publicServices, ["web"]);
        const redis = plan.images[1];
        assert.deepStrictEqual(redis?.role, { kind: "data", data: "redis" });
        assert.strictEqual(redis?.contextDir, path.join(PROJECT_DIR, "images", "redis"));
        assert.deepStrictEqual(redis?.buildArgs, { DEBIAN_IMAGE: "127.0.0.1:5000/base/debian:bookworm" });
        assert.deepStrictEqual(plan.images[0]?.buildArgs, { NODE_IMAGE: "127.0.0.1:5000/base/node:20-bookworm" });
        assert.strictEqual(plan.images[0]?.contextDir, path.join(PROJECT_DIR, "app"));
    });

    for (const [stack, cloud] of [
        ["staging", "aws"],
        ["prod", "azure"],
    ] as const) {
        it(`${stack} (${cloud}): Kubernetes, Redis and PostgreSQL managed by the cloud, only the web service's image built`, () => {
            const plan = planStack(committedConfig(stack));
            assert.strictEqual(plan.cloud, cloud);
            assert.strictEqual(plan.platformKind, "kubernetes");
            assert.deepStrictEqual(plan.data, { redis: "managed", postgres: "managed" });
            assert.deepStrictEqual(plan.inPlatformData, []);
            assert.deepStrictEqual(imageNames(plan), ["web"]);
            assert.deepStrictEqual(plan.publicServices, ["web"]);
        });
    }

    it("swarm (routing mesh): the Swarm deployer, data on the swarm, no proxy image", () => {
        const plan = planStack(committedConfig("swarm"));
        assert.strictEqual(plan.cloud, "swarm");
        assert.strictEqual(plan.platformKind, "swarm");
        assert.deepStrictEqual(plan.data, { redis: "platform", postgres: "platform" });
        assert.deepStrictEqual(plan.inPlatformData, ["redis", "postgres"]);
        assert.deepStrictEqual(imageNames(plan), ["web", "platform-redis", "platform-postgres"]);
        assert.deepStrictEqual(plan.publicServices, ["web"]);
    });

    it("swarm with routing proxy: the proxy image is built last, from the proxy's folder", () => {
        const swarm = JSON.parse(readStackFile("swarm").config["platform:swarm"] ?? "{}") as Record<string, unknown>;
        const plan = planStack(committedConfig("swarm", { "platform:swarm": { ...swarm, routing: "proxy" } }));
        assert.deepStrictEqual(imageNames(plan), ["web", "platform-redis", "platform-postgres", SWARM_PROXY_IMAGE]);
        assert.strictEqual(SWARM_PROXY_IMAGE, "platform-swarm-proxy");
        const proxy = plan.images[3];
        assert.deepStrictEqual(proxy?.role, { kind: "proxy" });
        assert.strictEqual(proxy?.contextDir, path.join(PROJECT_DIR, "components", "app", "swarm", "proxy"));
    });

    for (const stack of ["dev", "swarm"]) {
        it(`${stack} with data.postgres.external: PostgreSQL external, only Redis in the platform and built`, () => {
            const config = committedConfig(
                stack,
                {
                    "platform:data": { redis: { storage: "256Mi" }, postgres: { external: { host: "db.internal" } } },
                    "platform:postgresPassword": "pw-for-test",
                },
                ["platform:postgresPassword"],
            );
            const plan = planStack(config);
            assert.deepStrictEqual(plan.data, { redis: "platform", postgres: "external" });
            assert.deepStrictEqual(plan.inPlatformData, ["redis"]);
            assert.deepStrictEqual(imageNames(plan), ["web", "platform-redis"]);
        });
    }

    it("runs in the platform only what a service needs, and lists public services in config order", () => {
        const plan = planStack(
            committedConfig("dev", {
                "platform:services": [
                    { name: "worker", needs: ["redis"], public: false },
                    { name: "web", needs: [], public: true },
                    { name: "api", needs: ["redis"], public: true },
                ],
            }),
        );
        assert.deepStrictEqual(plan.inPlatformData, ["redis"]);
        assert.deepStrictEqual(imageNames(plan), ["worker", "web", "api", "platform-redis"]);
        assert.deepStrictEqual(plan.publicServices, ["web", "api"]);
        // PostgreSQL still has a place (the platform), it just does not run.
        assert.strictEqual(plan.data.postgres, "platform");
    });
});

describe("planStack: vertical recommendations", () => {
    for (const stack of ["dev", "staging", "prod"]) {
        it(`${stack}: wanted by default (app.vpa recommend), not when every service sets off`, () => {
            assert.strictEqual(planStack(committedConfig(stack)).verticalRecommendations, true);
            assert.strictEqual(planStack(committedConfig(stack, { "platform:app": { vpa: "off" } })).verticalRecommendations, false);
        });
    }

    it("one service still recommending keeps them on", () => {
        const config = committedConfig("dev", {
            "platform:app": { vpa: "off" },
            "platform:services": [{ name: "web" }, { name: "worker", public: false, vpa: "recommend" }],
        });
        assert.strictEqual(planStack(config).verticalRecommendations, true);
    });
});

describe("assertPlatformFitsPlan", () => {
    // Only whether the platform brings managed data is read, never the endpoints themselves.
    const endpoints = { redis: {}, postgres: {} } as unknown as DataEndpoints;

    it("accepts each committed stack's platform shape", () => {
        assert.doesNotThrow(() => {
            assertPlatformFitsPlan(planStack(committedConfig("dev")), { kind: "kubernetes", cloud: "local" });
        });
        assert.doesNotThrow(() => {
            assertPlatformFitsPlan(planStack(committedConfig("staging")), {
                kind: "kubernetes",
                cloud: "aws",
                managedData: endpoints,
            });
        });
        assert.doesNotThrow(() => {
            assertPlatformFitsPlan(planStack(committedConfig("swarm")), { kind: "swarm", cloud: "swarm" });
        });
    });

    it("refuses a managed-data cloud whose platform brings no managed data", () => {
        assert.throws(() => {
            assertPlatformFitsPlan(planStack(committedConfig("prod")), { kind: "kubernetes", cloud: "azure" });
        }, /the plan places redis and postgres in azure's managed services, but the azure platform provides no managed data/);
    });

    it("refuses a platform with managed data where the plan runs data in the platform", () => {
        assert.throws(() => {
            assertPlatformFitsPlan(planStack(committedConfig("dev")), {
                kind: "kubernetes",
                cloud: "local",
                managedData: endpoints,
            });
        }, /the local platform provides managed data, but the plan places redis in the platform and postgres in the platform/);
    });

    it("refuses a platform of the other kind", () => {
        assert.throws(() => {
            assertPlatformFitsPlan(planStack(committedConfig("swarm")), { kind: "kubernetes", cloud: "local" });
        }, /the plan deploys cloud swarm with the swarm deployer, but createPlatform returned a kubernetes platform/);
    });
});
