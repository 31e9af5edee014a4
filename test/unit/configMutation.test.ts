/**
 * Property: whatever a careless or hostile edit does to a committed stack file, the program
 * either deploys (under mocks, to the end) or stops with its config error before registering
 * anything; that error names every key it reports, and no secret's text appears in it.
 *
 * Seeded and bounded. A failure prints its seed: replay it with
 *   npm run build && CONFIG_MUTATION_SEED=<seed> npx mocha --grep "under mutation"
 * (CONFIG_MUTATION_RUNS=<n> runs more cases).
 */
import * as assert from "assert";
import { execFileSync } from "child_process";
import fc from "fast-check";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { diskFiles } from "../../stacks/diskFiles";
import { parseStackConfig } from "../../stacks/parse";
import { runStack, withScratchKubeconfig } from "../../harness/runStack";
import { COMMITTED_STACKS } from "../../harness/committedStacks";
import { PROJECT_DIR, readStackFile, StackConfigMap } from "../../harness/stackFiles";

const SEED = Number(process.env.CONFIG_MUTATION_SEED ?? 20261203);
const RUNS = Number(process.env.CONFIG_MUTATION_RUNS ?? 160);

/** The text every secret of a generated config carries: it must never be printed. */
const SECRET_TEXT = "Zq7-s3cret-VALUE-9x";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Segment = string | number;

/** One edit of a stack's `platform:` tree. */
type Mutation =
    | { readonly op: "set"; readonly at: number; readonly value: Json }
    | { readonly op: "delete"; readonly at: number }
    | { readonly op: "addKey"; readonly at: number; readonly key: string; readonly value: Json }
    | { readonly op: "secret"; readonly at: number }
    | { readonly op: "renameTop"; readonly at: number; readonly key: string };

/** The `platform:` keys of a committed stack as a tree, and every path into it. */
function treeOf(map: StackConfigMap): { tree: Record<string, Json>; others: Record<string, string> } {
    const tree: Record<string, Json> = {};
    const others: Record<string, string> = {};
    for (const [key, value] of Object.entries(map.config)) {
        if (!key.startsWith("platform:")) {
            others[key] = value;
            continue;
        }
        let decoded: Json;
        try {
            decoded = JSON.parse(value) as Json;
        } catch {
            decoded = value;
        }
        tree[key.slice("platform:".length)] = decoded;
    }
    return { tree, others };
}

function pathsOf(node: Json, prefix: Segment[] = [], out: Segment[][] = []): Segment[][] {
    if (prefix.length > 0) out.push(prefix);
    if (Array.isArray(node)) node.forEach((child, i) => pathsOf(child, [...prefix, i], out));
    else if (node !== null && typeof node === "object") for (const [k, child] of Object.entries(node)) pathsOf(child, [...prefix, k], out);
    return out;
}

/** Sets an own property, so "__proto__" is a key like any other (as JSON.parse would make it). */
function define(target: Record<string, Json> | Json[], key: Segment, value: Json): void {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function parentOf(tree: Record<string, Json>, at: readonly Segment[]): Record<string, Json> | Json[] | undefined {
    let node: Json = tree;
    for (const segment of at.slice(0, -1)) {
        if (node === null || typeof node !== "object") return undefined;
        node = (node as Record<string, Json>)[segment];
    }
    return node !== null && typeof node === "object" ? node : undefined;
}

let fifo = "";
let folder = "";

const hostileText = (): fc.Arbitrary<string> =>
    fc.constantFrom(
        "",
        " ",
        "0.0.0.0/0",
        "0.0.0.0/1",
        "128.0.0.0/1",
        "0.0.0.0/00",
        "010.0.0.0/8",
        "203.0.113.0/24",
        "__proto__",
        "constructor",
        "kube-system",
        "default",
        "redis",
        "postgres",
        "web-proxy",
        "a//b",
        "node:20 slim",
        "http://db",
        "ssh://admin@manager",
        "tcp://",
        "/readyz\nX: 1",
        "/x');process.exit(0);('",
        "src",
        "..",
        "/dev/null",
        "m7g.large",
        "a1.large",
        "linux/arm64",
        "32767",
        "1e309",
        "-1",
        "x".repeat(70_000),
        "\u202eevil\u0000",
    );

const leaf = (): fc.Arbitrary<Json> =>
    fc.oneof(
        { weight: 4, arbitrary: hostileText() },
        { weight: 2, arbitrary: fc.constantFrom(fifo, folder, path.join(folder, "missing")) },
        { weight: 2, arbitrary: fc.integer({ min: -2, max: 70_000 }) },
        { weight: 1, arbitrary: fc.constantFrom(32767, 30000, 65535, 0, 1.5, true, false, null) },
        { weight: 2, arbitrary: fc.string({ maxLength: 12 }) },
        { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json> },
        { weight: 1, arbitrary: fc.constant([{ name: "redis" }, { name: "web" }] as Json) },
    );

const mutation = (): fc.Arbitrary<Mutation> =>
    fc.oneof(
        { weight: 5, arbitrary: fc.record({ op: fc.constant("set" as const), at: fc.nat(), value: leaf() }) },
        { weight: 2, arbitrary: fc.record({ op: fc.constant("delete" as const), at: fc.nat() }) },
        {
            weight: 2,
            arbitrary: fc.record({
                op: fc.constant("addKey" as const),
                at: fc.nat(),
                key: fc.constantFrom("__proto__", "constructor", "prototype", "extra", "replica", "clodu"),
                value: leaf(),
            }),
        },
        { weight: 2, arbitrary: fc.record({ op: fc.constant("secret" as const), at: fc.nat() }) },
        {
            weight: 1,
            arbitrary: fc.record({
                op: fc.constant("renameTop" as const),
                at: fc.nat(),
                key: fc.constantFrom("__proto__", "clodu", "App", "toString"),
            }),
        },
    );

/** Applies the edits; returns the config map Pulumi would pass and the keys marked secret. */
function mutate(stack: string, edits: readonly Mutation[]): StackConfigMap {
    const base = stack === "dev" ? withScratchKubeconfig(readStackFile(stack)) : readStackFile(stack);
    const { tree, others } = treeOf(base);
    const secretKeys = new Set(base.secretKeys);
    for (const edit of edits) {
        const paths = pathsOf(tree);
        if (paths.length === 0) break;
        const at = paths[edit.at % paths.length];
        const parent = parentOf(tree, at);
        const last = at[at.length - 1];
        if (parent === undefined) continue;
        switch (edit.op) {
            case "set":
                define(parent, last, edit.value);
                break;
            case "delete":
                if (Array.isArray(parent) && typeof last === "number") parent.splice(last, 1);
                else Reflect.deleteProperty(parent, last);
                break;
            case "addKey": {
                const target = parentOf(tree, [...at, "child"]);
                if (target !== undefined && !Array.isArray(target)) define(target, edit.key, edit.value);
                break;
            }
            case "secret":
                define(parent, last, SECRET_TEXT);
                secretKeys.add(`platform:${String(at[0])}`);
                break;
            case "renameTop": {
                const top = String(at[0]);
                const value = tree[top];
                Reflect.deleteProperty(tree, top);
                define(tree, edit.key, value);
                if (secretKeys.delete(`platform:${top}`)) secretKeys.add(`platform:${edit.key}`);
                break;
            }
        }
    }
    const config: Record<string, string> = { ...others };
    for (const [key, value] of Object.entries(tree)) config[`platform:${key}`] = typeof value === "string" ? value : JSON.stringify(value);
    return { config, secretKeys: [...secretKeys] };
}

const HEADER = /^stack "([a-z]+)" has (\d+) config problems? in Pulumi\.\1\.yaml:/;

describe("config edge under mutation of the committed stack files (fast-check)", function () {
    // Bounded by RUNS; each case runs the whole program under mocks (about 50 to 150 ms).
    this.timeout(120_000);
    let dir: string;
    const counts = { accepted: 0, rejected: 0, problems: 0 };

    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "config-mutation-"));
        fifo = path.join(dir, "fifo");
        folder = path.join(dir, "folder");
        execFileSync("mkfifo", [fifo]);
        fs.mkdirSync(folder);
    });
    after(() => {
        fs.rmSync(dir, { recursive: true, force: true });
        console.log(
            `      ${RUNS} mutated configs (seed ${SEED}): ${counts.accepted} deployed under mocks, ${counts.rejected} refused with ${counts.problems} problems`,
        );
    });

    it("accepted configs deploy to the end; refused ones register nothing, name every key and show no secret", async () => {
        const property = fc.asyncProperty(
            fc.constantFrom(...COMMITTED_STACKS),
            fc.array(mutation(), { minLength: 1, maxLength: 3 }),
            async (stack, edits) => {
                const map = mutate(stack, edits);
                const parsed = parseStackConfig(map.config, {
                    stack,
                    projectDir: PROJECT_DIR,
                    project: "platform",
                    homeDir: os.homedir(),
                    secretKeys: new Set(map.secretKeys),
                    files: diskFiles,
                });
                const run = await runStack(stack, map);
                const secrets = [
                    SECRET_TEXT,
                    ...map.secretKeys.map((k) => map.config[k]).filter((v) => v.length >= 8 && !v.includes(SECRET_TEXT)),
                ];
                if (parsed.ok) {
                    assert.strictEqual(run.error, undefined, `accepted by the edge, then the program threw: ${String(run.error?.stack)}`);
                    assert.ok(run.registrations.length > 0);
                    counts.accepted++;
                    return;
                }
                counts.rejected++;
                counts.problems += parsed.problems.length;
                assert.ok(run.error, "the edge refused it, but the program did not stop");
                const message = run.error.message;
                const header = HEADER.exec(message);
                assert.ok(header, `not the program's config error:\n${String(run.error.stack)}`);
                assert.strictEqual(Number(header[2]), parsed.problems.length);
                assert.deepStrictEqual(
                    run.registrations.map((r) => r.type),
                    [],
                    "a refused config registered resources",
                );
                const lines = message.split("\n").slice(1);
                assert.strictEqual(lines.length, parsed.problems.length, "one line per problem");
                for (const problem of parsed.problems) {
                    assert.ok(
                        lines.some((l) => l.trimStart().startsWith(problem.key)),
                        `problem key ${problem.key} not named`,
                    );
                    assert.doesNotMatch(
                        problem.message,
                        /Invalid input|expected \w+, received|Too (small|big)|Unrecognized key/,
                        "the schema library's own words",
                    );
                }
                for (const line of lines) assert.ok(line.length <= 1000, `a line of ${line.length} characters`);
                for (const secret of secrets) assert.ok(!message.includes(secret), `secret text ${JSON.stringify(secret)} printed`);
            },
        );
        const result = await fc.check(property, { seed: SEED, numRuns: RUNS, endOnFailure: false });
        if (result.failed) {
            const replay = `CONFIG_MUTATION_SEED=${String(result.seed)}`;
            assert.fail(`${fc.defaultReportMessage(result) ?? "property failed"}\nreplay: ${replay} npx mocha --grep "under mutation"`);
        }
    });
});
