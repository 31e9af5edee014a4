/**
 * Property tests: the config parser never crashes on any input, and never accepts a value that
 * breaks its rules (checked against independent oracles, not the parser's own regexes).
 */
import * as assert from "assert";
import fc from "fast-check";
import { parseStackConfig, ParseContext } from "../../stacks/parse";
import { cidrsOverlap, parseCidr } from "../../model/network";
import { cpuMillicores, memoryBytes } from "../../model/quantities";
import { fakeFiles } from "./support/files";

const ctx: ParseContext = { stack: "dev", projectDir: "/p", project: "platform", homeDir: "/h", secretKeys: new Set(), files: fakeFiles() };
const LOCAL = { "platform:cloud": "local", "platform:local": JSON.stringify({ kubeconfig: "kc", context: "c" }) };
const parseApp = (app: unknown) => parseStackConfig({ ...LOCAL, "platform:app": JSON.stringify(app) }, ctx);

const RUNS = { numRuns: 300 };

describe("config parser properties", () => {
    it("never throws, whatever the values of known and unknown keys", () => {
        const key = fc.constantFrom(
            "cloud",
            "app",
            "services",
            "data",
            "build",
            "policy",
            "local",
            "aws",
            "azure",
            "swarm",
            "postgresPassword",
            "x",
            "clodu",
        );
        fc.assert(
            fc.property(fc.dictionary(key, fc.jsonValue()), (entries) => {
                const config: Record<string, string> = {};
                for (const [k, v] of Object.entries(entries)) config[`platform:${k}`] = typeof v === "string" ? v : JSON.stringify(v);
                const result = parseStackConfig(config, ctx);
                if (!result.ok) for (const p of result.problems) assert.ok(p.key.length > 0 && p.message.length > 0);
            }),
            RUNS,
        );
    });

    it("accepts replicas exactly when 1 <= min <= max <= 100 (integers)", () => {
        const count = fc.oneof(fc.integer({ min: -5, max: 120 }), fc.double({ min: -5, max: 120, noNaN: true }));
        fc.assert(
            fc.property(count, count, (min, max) => {
                const valid = Number.isInteger(min) && Number.isInteger(max) && min >= 1 && max <= 100 && min <= max;
                const result = parseApp({ replicas: { min, max } });
                assert.strictEqual(result.ok, valid, `min=${min} max=${max}`);
                if (!result.ok) assert.ok(result.problems.every((p) => p.key.startsWith("platform:app.replicas.")));
            }),
            RUNS,
        );
    });

    it("accepts only CPU quantities that are positive decimal cores or integer millicores", () => {
        const quantity = fc.oneof(fc.string({ maxLength: 8 }), fc.stringMatching(/^\d{1,4}(\.\d{1,4})?m?$/));
        fc.assert(
            fc.property(quantity, (request) => {
                const result = parseApp({ cpu: { request, limit: "64" } });
                const oracle = /^\d+m$/.test(request)
                    ? Number(request.slice(0, -1)) > 0
                    : /^\d+(\.\d{1,3})?$/.test(request) && Number(request) >= 0.001;
                assert.strictEqual(result.ok, oracle && cpuMillicores(request) <= 64000, `request=${JSON.stringify(request)}`);
            }),
            RUNS,
        );
    });

    it("accepts only memory quantities that convert to a positive byte count", () => {
        const quantity = fc.oneof(fc.string({ maxLength: 8 }), fc.stringMatching(/^\d{1,4}(\.\d{1,2})?(Ki|Mi|Gi|Ti|k|M|G|T|Kb|MB|gi)?$/));
        fc.assert(
            fc.property(quantity, (request) => {
                const result = parseApp({ memory: { request, limit: "64Ti" } });
                if (result.ok) {
                    const bytes = memoryBytes(request);
                    assert.ok(Number.isFinite(bytes) && bytes > 0 && bytes <= 64 * 2 ** 40, `accepted ${request}`);
                    assert.match(request, /^\d+(\.\d+)?(Ki|Mi|Gi|Ti|k|M|G|T)?$/);
                }
            }),
            RUNS,
        );
    });

    it("parses CIDRs consistently with address arithmetic", () => {
        const ip = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255));
        fc.assert(
            fc.property(ip, fc.integer({ min: 0, max: 32 }), ([a, b, c, d], prefix) => {
                const parsed = parseCidr(`${a}.${b}.${c}.${d}/${prefix}`);
                const base = ((a << 24) >>> 0) + (b << 16) + (c << 8) + d;
                const hostBits = prefix === 32 ? 0 : base % 2 ** (32 - prefix);
                assert.strictEqual(parsed !== undefined, hostBits === 0);
                if (parsed) assert.ok(cidrsOverlap(parsed, parsed));
            }),
            RUNS,
        );
    });
});
