/**
 * Careless and hostile input, one test per case seen in the field: each is refused at the config
 * edge with the key and the fix, before anything is registered, and no problem text is unbounded,
 * multi-line or shows a secret. Cases that touch files use the real disk (folders, FIFOs).
 */
import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { diskFiles } from "../../stacks/diskFiles";
import { parseStackConfig, ParseResult } from "../../stacks/parse";
import { formatProblems, MAX_TEXT_CHARS, MAX_VALUE_CHARS, SECRET_MARK } from "../../stacks/problems";
import { fakeFiles } from "./support/files";
import { runStack } from "../../harness/runStack";
import { PROJECT_DIR, readStackFile, StackConfigMap } from "../../harness/stackFiles";
import { ctx, LOCAL, parse, problemsOf } from "./support/parseConfig";

/** The problem reported for `key`; fails when there is none. */
function problemAt(result: ParseResult, key: string) {
    const problems = problemsOf(result);
    const found = problems.find((p) => p.key === key);
    assert.ok(found, `no problem for ${key}; got ${JSON.stringify(problems)}`);
    return found;
}

/** A stack file with a JSON-merged change to one block. */
function edited(stack: string, key: string, change: (block: Record<string, unknown>) => void): StackConfigMap {
    const map = readStackFile(stack);
    const block = JSON.parse(map.config[key] ?? "{}") as Record<string, unknown>;
    change(block);
    return { ...map, config: { ...map.config, [key]: JSON.stringify(block) } };
}

describe("bad input: keys", () => {
    it("platform:__proto__ is an unknown key, never merged: it cannot supply a missing platform:cloud", () => {
        const result = parseStackConfig(
            { "platform:__proto__": JSON.stringify({ cloud: "local" }), "platform:local": LOCAL["platform:local"] },
            ctx(),
        );
        const problems = problemsOf(result);
        assert.ok(problems.some((p) => p.key === "platform:__proto__" && /^unknown key/.test(p.message)));
        assert.ok(problems.some((p) => p.key === "platform:cloud" && /is required/.test(p.message)));
        assert.strictEqual(({} as Record<string, unknown>).cloud, undefined, "Object.prototype untouched");
    });

    it("constructor, prototype and nested __proto__ are unknown keys too", () => {
        const problems = problemsOf(parse({ "platform:constructor": "x", "platform:app": '{"__proto__": {"namespace": "kube-system"}}' }));
        assert.ok(problems.some((p) => p.key === "platform:constructor" && /unknown key/.test(p.message)));
        assert.ok(problems.some((p) => p.key === "platform:app.__proto__" && /unknown key/.test(p.message)));
    });
});

describe("bad input: values the README calls invalid", () => {
    for (const image of ["a//b", "node:20 slim", "Node:20", "node:", "-node"]) {
        it(`refuses the image reference ${JSON.stringify(image)}`, () => {
            assert.match(
                problemAt(parse({ "platform:build": { baseImage: image } }), "platform:build.baseImage").message,
                /must be an image reference/,
            );
        });
    }

    it("accepts image references with a registry port, a path, a tag and a digest", () => {
        const digest = `sha256:${"0".repeat(64)}`;
        const result = parse({ "platform:build": { baseImage: `127.0.0.1:5000/base/node:20-bookworm@${digest}`, debianImage: "debian" } });
        assert.ok(result.ok, JSON.stringify(!result.ok && result.problems));
    });

    it("refuses endpoints that are URLs where a host is wanted, and ssh:// for the Swarm client", () => {
        const external = problemAt(
            parse({ "platform:data": { postgres: { external: { host: "http://db" } } } }),
            "platform:data.postgres.external.host",
        );
        assert.match(external.message, /no scheme such as http:\/\//);
        const swarm = { "platform:cloud": "swarm", "platform:swarm": JSON.stringify({ host: "ssh://admin@manager" }) };
        assert.match(problemAt(parse({}, {}, swarm), "platform:swarm.host").message, /must be a Docker endpoint \(unix:\/\/, tcp:\/\/\)/);
        assert.match(
            problemAt(parse({ "platform:build": { dockerHost: "tcp://" } }), "platform:build.dockerHost").message,
            /Docker endpoint/,
        );
    });

    it("refuses a readyPath with a newline, and the report stays one line per problem", () => {
        const result = parse({ "platform:services": [{ name: "web", readyPath: "/readyz\nX-Injected: 1" }] });
        const problem = problemAt(result, "platform:services[0].readyPath");
        assert.match(problem.message, /must be an HTTP path/);
        assert.strictEqual(problem.value, "/readyz\\nX-Injected: 1");
        const report = formatProblems("dev", problemsOf(result));
        assert.strictEqual(report.split("\n").length, 2, report);
    });

    for (const value of ["010.0.0.0/8", "10.0.0.0/08", "0.0.0.0/00", " 10.0.0.0/8"]) {
        it(`refuses the non-canonical CIDR ${JSON.stringify(value)}`, () => {
            assert.match(
                problemAt(parse({ "platform:app": { allowedSourceRanges: [value] } }), "platform:app.allowedSourceRanges[0]").message,
                /without leading zeros/,
            );
        });
    }

    it("refuses a context the kubeconfig does not have, naming the contexts it has", () => {
        const problem = problemAt(parse({ "platform:local": { kubeconfig: "kc", context: "kind-dev" } }), "platform:local.context");
        assert.match(problem.message, /has no context "kind-dev" \(it has: c, platform-local\)/);
    });

    it("refuses a kubeconfig that is not one", () => {
        const problem = problemAt(parse({}, { files: fakeFiles({ text: "just some text" }) }), "platform:local.kubeconfig");
        assert.match(problem.message, /is not a kubeconfig/);
    });
});

describe("bad input: open to the world, compared as address ranges", () => {
    const aws = (cidrs: string[]) => {
        const map = edited("staging", "platform:aws", (block) => (block.endpointPublicAccessCidrs = cidrs));
        return parseStackConfig(map.config, ctx({ projectDir: PROJECT_DIR, secretKeys: new Set(map.secretKeys), files: diskFiles }));
    };
    const azure = (ranges: string[]) => {
        const map = edited("prod", "platform:azure", (block) => (block.authorizedIpRanges = ranges));
        return parseStackConfig(map.config, ctx({ projectDir: PROJECT_DIR, secretKeys: new Set(map.secretKeys), files: diskFiles }));
    };

    it("aws.endpointPublicAccessCidrs: 0.0.0.0/1 + 128.0.0.0/1 is every address", () => {
        assert.match(
            problemAt(aws(["0.0.0.0/1", "128.0.0.0/1"]), "platform:aws.endpointPublicAccessCidrs").message,
            /together admit every IPv4 address/,
        );
    });

    it("aws.endpointPublicAccessCidrs: 0.0.0.0/00 is not a CIDR", () => {
        assert.match(problemAt(aws(["0.0.0.0/00"]), "platform:aws.endpointPublicAccessCidrs[0]").message, /without leading zeros/);
    });

    it("aws.endpointPublicAccessCidrs: a block wider than a /8 is refused", () => {
        assert.match(
            problemAt(aws(["81.2.69.0/24", "64.0.0.0/2"]), "platform:aws.endpointPublicAccessCidrs[1]").message,
            /wider than a \/8/,
        );
    });

    it("azure.authorizedIpRanges: 0.0.0.0/0 is refused, as the README says", () => {
        assert.match(
            problemAt(azure(["0.0.0.0/0"]), "platform:azure.authorizedIpRanges").message,
            /admit every IPv4 address.*AKS API server/,
        );
    });

    it("app.allowedSourceRanges may open a load balancer (a reviewed decision the pack flags); split halves are not a way around the pack", () => {
        // The edge accepts it (README); policyRules.test.ts shows the pack flags ["0.0.0.0/1", "128.0.0.0/1"].
        assert.ok(parse({ "platform:app": { allowedSourceRanges: ["0.0.0.0/1", "128.0.0.0/1"] } }).ok);
    });
});

describe("bad input: every problem at once", () => {
    it("the README's example reports all four problems, the kubeconfig among them", () => {
        const result = parse(
            { "platform:app": { cpu: { request: "1.5 cores" }, replicas: { min: 3, max: 2 } }, "platform:clodu": "local" },
            { files: fakeFiles({ kinds: { "/kc": "missing" } }) },
        );
        assert.deepStrictEqual(
            problemsOf(result)
                .map((p) => p.key)
                .sort(),
            ["platform:app.cpu.request", "platform:app.replicas.max", "platform:clodu", "platform:local.kubeconfig"],
        );
    });

    it("file, secret and cross-field checks run beside schema errors", () => {
        const result = parse(
            {
                "platform:app": { namespace: "Bad Name" },
                "platform:services": [{ name: "web", context: "svc" }],
                "platform:data": { postgres: { external: { host: "db.internal" } } },
            },
            { files: fakeFiles({ kinds: { "svc/Dockerfile": "missing", "/kc": "directory" } }) },
        );
        const keys = problemsOf(result).map((p) => p.key);
        for (const key of [
            "platform:app.namespace",
            "platform:services[0].context",
            "platform:local.kubeconfig",
            "platform:postgresPassword",
        ])
            assert.ok(keys.includes(key), `${key} in ${keys.join(", ")}`);
    });

    it("a missing required list says what it takes in the program's words, not the schema library's", () => {
        const map = edited("prod", "platform:azure", (block) => delete block.authorizedIpRanges);
        const problem = problemAt(
            parseStackConfig(map.config, ctx({ projectDir: PROJECT_DIR, secretKeys: new Set(map.secretKeys), files: diskFiles })),
            "platform:azure.authorizedIpRanges",
        );
        assert.strictEqual(
            problem.message,
            'is required; it must be a list of IPv4 CIDR blocks such as ["<your-ip>/32"] (<your-ip>: curl -s https://checkip.amazonaws.com)',
        );
    });

    it("wrong kinds of values get the program's words and a pointer to the reference", () => {
        const problem = problemAt(parse({ "platform:app": "not a block" }), "platform:app");
        assert.match(problem.message, /^must be a block of keys \(a YAML mapping\); see README, "Config reference"$/);
        assert.doesNotMatch(problem.message, /Invalid input|expected|received/);
    });
});

describe("bad input: what a problem line shows", () => {
    it("a 70,000-character value is cut, with its length said", () => {
        const result = parse({ "platform:build": { baseImage: "x".repeat(70_000) } });
        const problem = problemAt(result, "platform:build.baseImage");
        assert.ok((problem.value ?? "").length <= MAX_VALUE_CHARS + 40, `value of ${String(problem.value?.length)} characters`);
        assert.match(problem.value ?? "", /… \(70,000 characters\)$/);
        for (const line of formatProblems("dev", problemsOf(result)).split("\n"))
            assert.ok(line.length <= MAX_TEXT_CHARS * 2, `line of ${line.length}`);
    });

    it("an unknown key with control characters is escaped", () => {
        const problems = problemsOf(parse({ "platform:evil\u001b[31m": "x" }));
        assert.ok(
            problems.some((p) => p.key === "platform:evil\\u001b[31m"),
            JSON.stringify(problems),
        );
    });

    it("a secret value that fails validation is never printed", () => {
        const secretValue = "Tr0ub4dor&3-not-a-namespace";
        const result = parse({ "platform:app": { namespace: secretValue } }, { secretKeys: new Set(["platform:app"]) });
        const problem = problemAt(result, "platform:app.namespace");
        assert.strictEqual(problem.value, SECRET_MARK);
        assert.ok(!formatProblems("dev", problemsOf(result)).includes(secretValue));
    });

    it("a secret's text is scrubbed from messages that quote a sibling value", () => {
        const secretRequest = "777m";
        const result = parse(
            { "platform:app": { cpu: { request: secretRequest, limit: "100m" } } },
            { secretKeys: new Set(["platform:app"]) },
        );
        const text = formatProblems("dev", problemsOf(result));
        assert.match(text, /must be >= cpu.request \(\[secret\]\)/);
        assert.ok(!text.includes(secretRequest), text);
    });
});

describe("bad input: accepted, then refused by the target", () => {
    for (const name of ["redis", "postgres", "default-deny", "allow-dns"]) {
        it(`a service named ${name} is reserved`, () => {
            assert.match(
                problemAt(parse({ "platform:services": [{ name }] }), "platform:services[0].name").message,
                /is reserved: its objects would collide with/,
            );
        });
    }

    it("a service named after another public service's Swarm proxy is refused", () => {
        assert.match(
            problemAt(parse({ "platform:services": [{ name: "web" }, { name: "web-proxy", public: false }] }), "platform:services[1].name")
                .message,
            /proxy of public service web/,
        );
    });

    it("nodePortBase must leave room for every public service inside 30000-32767", () => {
        const problem = problemAt(
            parse({
                "platform:local": { kubeconfig: "kc", context: "c", nodePortBase: 32767 },
                "platform:services": [{ name: "web" }, { name: "api" }],
            }),
            "platform:local.nodePortBase",
        );
        assert.match(problem.message, /ports 32767 to 32768; node ports end at 32767\); set it to at most 32766/);
        assert.ok(
            parse({
                "platform:local": { kubeconfig: "kc", context: "c", nodePortBase: 32766 },
                "platform:services": [{ name: "web" }, { name: "api" }],
            }).ok,
        );
    });

    for (const namespace of ["kube-system", "kube-public", "kube-node-lease", "default"]) {
        it(`namespace ${namespace} is refused`, () => {
            assert.match(problemAt(parse({ "platform:app": { namespace } }), "platform:app.namespace").message, /is reserved/);
        });
    }
});

describe("bad input on the real disk: no crash, no hang, nothing registered", function () {
    let dir: string;
    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "bad-input-"));
        execFileSync("mkfifo", [path.join(dir, "fifo")]);
        fs.mkdirSync(path.join(dir, "folder"));
    });
    after(() => {
        fs.rmSync(dir, { recursive: true, force: true });
    });

    const refused = async (stack: string, map: StackConfigMap, key: string, pattern: RegExp) => {
        const run = await runStack(stack, map);
        assert.ok(run.error, "expected a config error");
        assert.match(run.error.message, /config problems? in Pulumi\./);
        const line = run.error.message.split("\n").find((l) => l.trimStart().startsWith(key));
        assert.ok(line, `no line for ${key} in:\n${run.error.message}`);
        assert.match(line, pattern);
        assert.deepStrictEqual(
            run.registrations.map((r) => r.type),
            [],
            "nothing registered",
        );
    };

    it("a Dockerfile that is a folder (staging: was EISDIR after 61 registrations)", async () => {
        const map = readStackFile("staging");
        const services = JSON.parse(map.config["platform:services"] ?? '[{"name":"web"}]') as Record<string, unknown>[];
        const withFolder = services.map((s, i) => (i === 0 ? { ...s, dockerfile: "src" } : s));
        await refused(
            "staging",
            { ...map, config: { ...map.config, "platform:services": JSON.stringify(withFolder) } },
            "platform:services[0].dockerfile",
            /is a folder, not a file/,
        );
    });

    it("a kubeconfig that is a folder", async () => {
        await refused(
            "dev",
            edited("dev", "platform:local", (b) => (b.kubeconfig = path.join(dir, "folder"))),
            "platform:local.kubeconfig",
            /is a folder, not a file/,
        );
    });

    it("a kubeconfig that is a FIFO is refused at once (opening it would wait forever)", async () => {
        await refused(
            "dev",
            edited("dev", "platform:local", (b) => (b.kubeconfig = path.join(dir, "fifo"))),
            "platform:local.kubeconfig",
            /is not a regular file \(a pipe, socket or device\)/,
        );
    });

    it("diskFiles.readText never blocks on a FIFO, even if called without the stat", () => {
        assert.strictEqual(diskFiles.readText(path.join(dir, "fifo")), undefined);
        assert.strictEqual(diskFiles.kind(path.join(dir, "fifo")), "other");
        assert.strictEqual(diskFiles.kind(path.join(dir, "folder", "x", "y")), "missing");
    });
});

describe("bad input: the Swarm health check takes the path as data", () => {
    const hostile = "/x');process.exit(0);('";

    it("the config edge accepts a legal path with a quote (RFC 3986 allows it)", () => {
        assert.ok(parse({ "platform:services": [{ name: "web", healthPath: hostile }] }).ok);
    });

    it("the real probe, run by node as the container would: the server's answer decides, the path cannot run code", async () => {
        const http = await import("http");
        const { HEALTH_PROBE_SCRIPT } = await import("../../components/app/swarm/specs");
        const seen: string[] = [];
        let status = 503;
        const server = http.createServer((req, res) => {
            seen.push(req.url ?? "");
            res.writeHead(status).end();
        });
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        const address = server.address();
        const port = typeof address === "object" && address !== null ? address.port : 0;
        const probe = async () => {
            const { spawn } = await import("child_process");
            return new Promise<number | null>((resolve) => {
                spawn(process.execPath, ["-e", HEALTH_PROBE_SCRIPT, `http://127.0.0.1:${port}${hostile}`], { stdio: "ignore" }).on(
                    "exit",
                    resolve,
                );
            });
        };
        try {
            assert.strictEqual(await probe(), 1, "unhealthy server: the probe fails (an injected process.exit(0) would pass)");
            status = 200;
            assert.strictEqual(await probe(), 0);
            assert.ok(
                seen.every((url) => url.includes("process.exit(0)")),
                `the path reached the server as data: ${seen.join(", ")}`,
            );
        } finally {
            server.close();
        }
    });
});
