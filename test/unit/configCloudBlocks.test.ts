/**
 * The config is a discriminated union on `cloud`: the block of another cloud is refused (it would
 * be silently ignored), named by its key with the fix, beside every other problem of the stack.
 */
import * as assert from "assert";
import { STAND_IN_CIDR } from "../../harness/standIns";
import { parseStackConfig, ParseResult } from "../../stacks/parse";
import { CLOUDS, type Cloud } from "../../model/targets";
import { ctx, problemsOf } from "./support/parseConfig";

/** The smallest valid block of each cloud. */
const VALID_BLOCK: Readonly<Record<Cloud, Record<string, unknown>>> = {
    local: { kubeconfig: "kc", context: "c" },
    aws: { region: "eu-west-1" },
    azure: { location: "westeurope", authorizedIpRanges: [STAND_IN_CIDR] },
    swarm: { host: "unix:///var/run/docker.sock" },
};

/** A stack of `cloud` with its valid block, plus `extra` keys (JSON like Pulumi passes them). */
function parseCloud(cloud: Cloud, extra: Record<string, unknown> = {}): ParseResult {
    const config: Record<string, string> = { "platform:cloud": cloud, [`platform:${cloud}`]: JSON.stringify(VALID_BLOCK[cloud]) };
    for (const [key, value] of Object.entries(extra)) config[key] = typeof value === "string" ? value : JSON.stringify(value);
    return parseStackConfig(config, ctx({ stack: "test" }));
}

describe("config: a block for another cloud", () => {
    for (const cloud of CLOUDS) {
        it(`cloud ${cloud} alone, with its own block, parses`, () => {
            const result = parseCloud(cloud);
            assert.ok(result.ok, result.ok ? "" : JSON.stringify(result.problems));
            assert.strictEqual(result.config.cloud, cloud);
        });

        for (const other of CLOUDS.filter((c) => c !== cloud)) {
            it(`cloud ${cloud} refuses platform:${other}, naming the cloud that reads it and the fix`, () => {
                const problems = problemsOf(parseCloud(cloud, { [`platform:${other}`]: VALID_BLOCK[other] }));
                assert.deepStrictEqual(
                    problems.map(({ key, message }) => ({ key, message })),
                    [
                        {
                            key: `platform:${other}`,
                            message: `is only read when platform:cloud is ${other} (this stack's cloud is ${cloud}); remove it`,
                        },
                    ],
                );
            });
        }
    }

    it("refuses the other block as a whole: its own bad fields are not reported, since the fix is to remove it", () => {
        const problems = problemsOf(parseCloud("local", { "platform:aws": { region: "mars-1", natGateways: "many" } }));
        assert.deepStrictEqual(
            problems.map((p) => p.key),
            ["platform:aws"],
        );
    });

    it("is reported beside every other problem at once", () => {
        const problems = problemsOf(
            parseCloud("swarm", {
                "platform:azure": VALID_BLOCK.azure,
                "platform:local": VALID_BLOCK.local,
                "platform:app": { replicas: { min: 3, max: 2 } },
                "platform:swarm": { host: "ssh://admin@manager" },
            }),
        );
        assert.deepStrictEqual(problems.map((p) => p.key).sort(), [
            "platform:app.replicas.max",
            "platform:azure",
            "platform:local",
            "platform:swarm.host",
        ]);
    });

    it("while cloud itself is wrong, checks every block present (no block can be judged foreign)", () => {
        const problems = problemsOf(
            parseStackConfig(
                {
                    "platform:cloud": "gcp",
                    "platform:aws": JSON.stringify({ region: "mars-1" }),
                    "platform:local": JSON.stringify(VALID_BLOCK.local),
                },
                ctx({ stack: "test" }),
            ),
        );
        const keys = problems.map((p) => p.key);
        assert.ok(keys.includes("platform:cloud"), JSON.stringify(problems));
        assert.ok(keys.includes("platform:aws.region"), JSON.stringify(problems));
        assert.ok(!keys.includes("platform:aws") && !keys.includes("platform:local"), JSON.stringify(problems));
    });
});
