/**
 * The deployers act on the plan, under the recording mocks: PostgreSQL placed external runs
 * nowhere in the platform, is not built, and is what the app connects to, on Kubernetes and on
 * Swarm alike.
 */
import * as assert from "assert";
import { runStack, withScratchKubeconfig } from "../../harness/runStack";
import { readStackFile, StackConfigMap } from "../../harness/stackFiles";
import { at, list, ofType, plainStrings, record } from "./support/inspect";

/** The committed stack with an external PostgreSQL at db.internal and its password secret. */
function withExternalPostgres(stack: string): StackConfigMap {
    const map = readStackFile(stack);
    const data = JSON.parse(map.config["platform:data"] ?? "{}") as Record<string, unknown>;
    const postgres = record(data.postgres ?? {});
    return {
        ...map,
        config: {
            ...map.config,
            "platform:data": JSON.stringify({ ...data, postgres: { ...postgres, external: { host: "db.internal", database: "orders" } } }),
            "platform:postgresPassword": "external-password-value",
        },
        secretKeys: [...map.secretKeys, "platform:postgresPassword"],
    };
}

const imageBuilds = (run: Awaited<ReturnType<typeof runStack>>) =>
    ofType(run.registrations, "docker-build:index:Image")
        .map((r) => r.name)
        .sort();

describe("deployers follow the plan: external PostgreSQL", () => {
    it("dev (Kubernetes): only Redis runs in the cluster and is built; the app's PGHOST is the external host", async () => {
        const run = await runStack("dev", withScratchKubeconfig(withExternalPostgres("dev")));
        if (run.error) throw run.error;
        const sets = ofType(run.registrations, "kubernetes:apps/v1:StatefulSet");
        assert.deepStrictEqual(
            sets.map((s) => at(s.inputs, "metadata.name")),
            ["redis"],
        );
        assert.deepStrictEqual(imageBuilds(run), ["platform-redis-build", "web-build"]);
        const web = ofType(run.registrations, "kubernetes:apps/v1:Deployment").find((d) => at(d.inputs, "metadata.name") === "web");
        const env = list(at(list(at(web?.inputs, "spec.template.spec.containers"))[0], "env")).map(record);
        assert.strictEqual(env.find((e) => e.name === "PGHOST")?.value, "db.internal");
        assert.strictEqual(env.find((e) => e.name === "PGDATABASE")?.value, "orders");
    });

    it("swarm: no PostgreSQL service and no PostgreSQL image; the app's PGHOST is the external host", async () => {
        const run = await runStack("swarm", withExternalPostgres("swarm"));
        if (run.error) throw run.error;
        const names = ofType(run.registrations, "pulumi-nodejs:dynamic/platform:SwarmService").map((r) => record(r.inputs.spec).Name);
        assert.ok(!names.includes("app_postgres"), JSON.stringify(names));
        assert.ok(names.includes("app_redis"), JSON.stringify(names));
        assert.deepStrictEqual(imageBuilds(run), ["platform-redis-build", "web-build"]);
        const web = ofType(run.registrations, "pulumi-nodejs:dynamic/platform:SwarmService").find(
            (r) => record(r.inputs.spec).Name === "app_web",
        );
        assert.ok(plainStrings(web?.inputs).includes("PGHOST=db.internal"), JSON.stringify(plainStrings(web?.inputs)));
    });
});
