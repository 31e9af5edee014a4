/**
 * Every rule at the edge: a fact that depends only on config is checked by the parser, reported
 * with all other problems before anything is registered, never thrown by a component mid-deploy
 * (an RDS database name refused after the VPC and EKS were registered, issue 17). The guard below
 * lists every throw left in components/ with why it cannot be decided from config alone, so a new
 * config-only throw fails here until its rule moves into stacks/.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { PROJECT_DIR, readStackFile, StackConfigMap } from "../../harness/stackFiles";
import { runStack } from "../../harness/runStack";

/** A committed stack with one `platform:` block edited. */
function edited(stack: string, block: string, edit: (value: Record<string, unknown>) => void): StackConfigMap {
    const map = readStackFile(stack);
    const value = JSON.parse(map.config[block] ?? "{}") as Record<string, unknown>;
    edit(value);
    return { ...map, config: { ...map.config, [block]: JSON.stringify(value) } };
}

/** The single problem line of a refused run, and that nothing was registered. */
async function refusedLine(stack: string, map: StackConfigMap, key: string): Promise<string> {
    const run = await runStack(stack, map);
    assert.ok(run.error, "accepted");
    assert.strictEqual(run.registrations.length, 0, `registered ${run.registrations.map((r) => r.type).join(", ")}`);
    const line = run.error.message.split("\n").find((l) => l.trimStart().startsWith(`${key} = `));
    assert.ok(line, `no line for ${key}:\n${run.error.message}`);
    return line.trim();
}

describe("rules that moved from components into the config edge", () => {
    it("a database name RDS would refuse is refused by the schema, before the VPC and EKS are registered (was a RunError in AwsManagedData)", async () => {
        const map = edited("staging", "platform:data", (data) => {
            data.postgres = { ...(data.postgres as object), database: "my-app" };
        });
        const line = await refusedLine("staging", map, "platform:data.postgres.database");
        assert.strictEqual(
            line.replace(/ {2,}/, " "),
            "platform:data.postgres.database = my-app must be a PostgreSQL identifier (a-z, 0-9 and _, starting with a letter, at most 63 characters)",
        );
    });

    it("a stack name that makes the EKS cluster name longer than 100 characters", async () => {
        const stack = `team-${"x".repeat(90)}`;
        const line = await refusedLine(stack, readStackFile("staging"), "(stack name)");
        assert.strictEqual(
            line.replace(/ {2,}/, " "),
            `(stack name) = ${stack} makes the EKS cluster name "platform-<stack>" 104 characters, over EKS's 100; use a stack name of at most 91 characters (pulumi stack rename)`,
        );
    });

    it("an admin role ARN the access-entry naming cannot read (a trailing slash) is refused by the same expression", async () => {
        const map = edited("staging", "platform:aws", (aws) => {
            aws.adminRoleArns = ["arn:aws:iam::123456789012:role/ops/"];
        });
        const line = await refusedLine("staging", map, "platform:aws.adminRoleArns[0]");
        assert.match(line, /must be an IAM role ARN such as/);
    });
});

/**
 * Every throw left in components/, by file and the text it throws, with why config cannot decide
 * it: a cloud's or engine's answer, or an invariant the edge already guarantees (kept so a
 * caller that bypasses the edge still fails loudly, naming the component).
 */
const ALLOWED_THROWS: Readonly<Record<string, readonly string[]>> = {
    // Invariants: the stack builder gives every service its image and the platform its data.
    "app/kubernetes/app.ts": ["no image for service"],
    "app/swarm/app.ts": ["no image for service"],
    "app/swarm/data.ts": ["no image for"],
    "data/inCluster.ts": ["no image for"],
    "data/required.ts": ["needs redis but the platform provides none", "needs postgres but the platform provides none"],
    // Invariant: dnsrr is chosen only for the proxy routing, where the app publishes no port.
    "app/swarm/specs.ts": ["Swarm publishes ingress ports only in vip endpoint mode"],
    // The Docker engine's answers.
    "app/swarm/engine/wait.ts": ["still refused after", "disappeared while waiting", "rolling update failed", "tasks running after"],
    "app/swarm/engine/client.ts": ["is not supported", "(HTTP ${response.status})"],
    "app/swarm/providers/service.ts": ["did not return an id", "throw error", "HTTP ${response.status}", "is gone; run pulumi refresh"],
    "app/swarm/providers/secret.ts": ["did not return an id"],
    "app/swarm/providers/network.ts": ["did not return an id"],
    // Invariant of the code, not of config: a provider kept in state imports only Node.js built-ins.
    "app/swarm/providers/source.ts": ["may import only Node.js built-ins"],
    // Invariants the edge guarantees with the same rule (aws/eks: IAM_ROLE_ARN; aws/network:
    // vpcNetworkCidr /16-/20 and 2-3 zones; aws/nodegroup: min <= max; azure/aks: serviceCidr /28
    // or wider; cluster/createPlatform: the local kubeconfig is read by the edge).
    "cluster/aws/eks.ts": ["is not an IAM role ARN"],
    "cluster/aws/network.ts": [
        "must be an IPv4 CIDR from /16 to /20",
        "must be 1, 2 or 3",
        "offers ${available.length} availability zones",
    ],
    "cluster/aws/nodegroup.ts": ["is above maxClusterSize"],
    // aws/clusterAutoscaler: the edge refuses a kubernetesVersion with neither a pin nor an image.
    "cluster/aws/clusterAutoscaler.ts": ["no pinned cluster-autoscaler image for Kubernetes"],
    "cluster/azure/aks.ts": ["is not a block of at least 16 addresses"],
    "cluster/createPlatform.ts": ["needs the kubeconfig read at the config edge"],
    "cluster/platform.ts": ["unhandled case"],
    // Azure's answers: the kubeconfig, the kubelet identity, the subscription of the credentials.
    "cluster/azure/kubeconfig.ts": ["returned no user kubeconfig"],
    "cluster/azure/registry.ts": ["reports no kubelet identity"],
    "cluster/azure/roles.ts": ["is not a subscription id"],
    "cluster/azure/network.ts": ["a subnet role has no plan"],
};

function sourceFiles(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const full = path.join(dir, e.name);
        return e.isDirectory() ? sourceFiles(full) : e.name.endsWith(".ts") ? [full] : [];
    });
}

describe("no config-only throw is left in components/", () => {
    const root = path.join(PROJECT_DIR, "components");
    // A throw is read as its whole statement (to the `;` that ends it, whitespace collapsed):
    // the formatter breaks a long `throw new Error(...)` over lines, and the reason is in the text.
    const found = sourceFiles(root).flatMap((file) => {
        const lines = fs.readFileSync(file, "utf8").split("\n");
        return lines.flatMap((line, index) => {
            const code = line.trimStart();
            if (!/\bthrow\b|RunError/.test(line) || code.startsWith("//") || code.startsWith("*")) return [];
            const end = lines.findIndex((l, i) => i >= index && /;\s*(\/\/.*)?$/.test(l));
            const statement = lines.slice(index, end < 0 ? index + 1 : end + 1).join(" ");
            return [{ file: path.relative(root, file), line: statement.replace(/\s+/g, " ").trim() }];
        });
    });

    it("finds the throws it guards (the scan is not empty)", () => {
        assert.ok(found.length >= 25, `only ${found.length} throws found`);
    });

    it("every throw is one whose reason is listed, and no component raises a RunError (the edge's error)", () => {
        const unlisted = found.filter(({ file, line }) => !(ALLOWED_THROWS[file] ?? []).some((text) => line.includes(text)));
        assert.deepStrictEqual(unlisted, [], "a throw not listed: if config alone decides it, move the rule into stacks/");
        assert.deepStrictEqual(
            found.filter(({ line }) => line.includes("RunError")),
            [],
        );
    });

    it("lists no throw that is gone (the list stays true)", () => {
        const stale = Object.entries(ALLOWED_THROWS).flatMap(([file, texts]) =>
            texts.filter((text) => !found.some((f) => f.file === file && f.line.includes(text))).map((text) => `${file}: ${text}`),
        );
        assert.deepStrictEqual(stale, []);
    });
});
