/**
 * No placeholder reaches a cloud: the committed cloud stack files hold documentation ranges and an
 * example GUID where a user must put their own values, and a copy of them, unchanged, fails at the
 * config edge naming each one, before anything is registered. The tooling evaluates them with
 * stand-ins (harness/standIns.ts) and says so.
 */
import * as assert from "assert";
import { randomUUID } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { specialPurposeOf } from "../../model/network";
import { isPlaceholderGuid } from "../../model/identifiers";
import { PROJECT_DIR, readCommittedStackFile, readStackFile } from "../../harness/stackFiles";
import { STAND_IN_CIDR, STAND_IN_GUID, standInNotice, withStandIns } from "../../harness/standIns";
import { runStack } from "../../harness/runStack";
import { parse, problemsOf } from "./support/parseConfig";

/** Each committed cloud stack's placeholders: the key, the value and what the fix must say. */
const PLACEHOLDERS: Readonly<Record<string, readonly (readonly [key: string, value: string, fix: RegExp])[]>> = {
    staging: [
        [
            "platform:app.allowedSourceRanges[0]",
            "203.0.113.0/24",
            /documentation range \(RFC 5737\).*pulumi config set --path 'platform:app\.allowedSourceRanges\[0\]' <your-ip>\/32/,
        ],
        [
            "platform:aws.endpointPublicAccessCidrs[0]",
            "203.0.113.0/24",
            /documentation range.*pulumi config set --path 'platform:aws\.endpointPublicAccessCidrs\[0\]'.*checkip/,
        ],
    ],
    prod: [
        ["platform:app.allowedSourceRanges[0]", "198.51.100.0/24", /documentation range.*'platform:app\.allowedSourceRanges\[0\]'/],
        [
            "platform:azure.adminGroupObjectIds[0]",
            "00000000-0000-4000-8000-000000000001",
            /placeholder GUID.*az ad group show --group <name> --query id -o tsv/,
        ],
        ["platform:azure.authorizedIpRanges[0]", "198.51.100.0/24", /documentation range.*'platform:azure\.authorizedIpRanges\[0\]'/],
    ],
};

describe("placeholders in the committed cloud stacks", () => {
    for (const [stack, expected] of Object.entries(PLACEHOLDERS)) {
        it(`Pulumi.${stack}.yaml copied unchanged into a new stack fails at the edge naming each placeholder, registering nothing`, async () => {
            const run = await runStack(`team-${stack}`, readCommittedStackFile(stack));
            assert.ok(run.error, "the copy was accepted");
            assert.strictEqual(run.registrations.length, 0, `registered ${run.registrations.map((r) => r.type).join(", ")}`);
            const lines = run.error.message.split("\n");
            assert.match(lines[0], new RegExp(`stack "team-${stack}" has ${expected.length} config problems`));
            for (const [key, value, fix] of expected) {
                const line = lines.find((l) => l.trimStart().startsWith(`${key} = ${value} `));
                assert.ok(line, `no problem line for ${key} = ${value}:\n${run.error.message}`);
                assert.match(line, fix);
            }
        });

        it(`the tooling evaluates Pulumi.${stack}.yaml with stand-ins for exactly those keys, and the program deploys it under mocks`, async () => {
            const map = readStackFile(stack);
            const keys = [...new Set(expected.map(([key]) => key.replace(/\[\d+\]$/, "")))].sort();
            assert.deepStrictEqual([...(map.standIns ?? [])].sort(), keys);
            const run = await runStack(stack, map);
            assert.strictEqual(run.error, undefined, run.error?.message);
            assert.ok(run.registrations.length > 50);
        });
    }

    for (const [stack, expected] of Object.entries(PLACEHOLDERS)) {
        it(`Pulumi.${stack}.yaml says plainly what to set: each placeholder line is marked, and the header gives the config set lines`, () => {
            const text = fs.readFileSync(path.join(PROJECT_DIR, `Pulumi.${stack}.yaml`), "utf8");
            const marked = text.split("\n").filter((l) => l.includes("# PLACEHOLDER:"));
            assert.strictEqual(marked.length, expected.length);
            for (const [key, value] of expected) {
                const list = /\.([A-Za-z]+)\[0\]$/.exec(key)?.[1] ?? "";
                assert.ok(
                    marked.some((l) => l.includes(`${list}: ["${value}"]`)),
                    `${key} = ${value} is not marked PLACEHOLDER`,
                );
                assert.ok(text.includes(`pulumi config set --path '${key}'`), `the header gives no config set line for ${key}`);
            }
        });
    }

    it("local and swarm stacks hold no placeholder: nothing is stood in for them", () => {
        assert.deepStrictEqual(readStackFile("dev").standIns, []);
        assert.deepStrictEqual(readStackFile("swarm").standIns, []);
        assert.strictEqual(standInNotice("dev", []), undefined);
    });

    it("the stand-in notice names the file, the keys and the stand-in values", () => {
        const notice = standInNotice("staging", ["platform:aws.endpointPublicAccessCidrs"]) ?? "";
        assert.match(notice, /^Pulumi\.staging\.yaml: placeholders of platform:aws\.endpointPublicAccessCidrs evaluated with stand-ins/);
        assert.ok(notice.includes(STAND_IN_CIDR) && notice.includes(STAND_IN_GUID));
    });

    it("withStandIns swaps only placeholder entries and keeps the user's own ones", () => {
        const config = { "platform:app": JSON.stringify({ allowedSourceRanges: ["192.0.2.0/24", "81.2.69.0/24"], cacheTtlSeconds: 5 }) };
        const { config: swapped, replaced } = withStandIns(config);
        assert.deepStrictEqual(JSON.parse(swapped["platform:app"]), {
            allowedSourceRanges: [STAND_IN_CIDR, "81.2.69.0/24"],
            cacheTtlSeconds: 5,
        });
        assert.deepStrictEqual(replaced, ["platform:app.allowedSourceRanges"]);
        assert.deepStrictEqual(withStandIns({ "platform:app": '{"allowedSourceRanges":["81.2.69.0/24"]}' }).replaced, []);
    });
});

describe("address ranges a public endpoint never sees", () => {
    const cases: readonly (readonly [string, string | undefined])[] = [
        ["192.0.2.0/24", "documentation"],
        ["198.51.100.7/32", "documentation"],
        ["203.0.113.128/25", "documentation"],
        ["10.1.0.0/16", "private"],
        ["172.31.0.0/16", "private"],
        ["192.168.1.0/24", "private"],
        ["100.64.0.0/16", "shared"],
        ["127.0.0.1/32", "loopback"],
        ["169.254.169.254/32", "link-local"],
        ["198.18.0.0/24", "benchmarking"],
        ["240.0.0.0/8", "reserved"],
        ["81.2.69.0/24", undefined],
        ["172.32.0.0/16", undefined],
        ["0.0.0.0/1", undefined],
        ["2001:db8::/32", "documentation"],
        ["2001:0db8:1::/48", "documentation"],
        ["2001:db9::/32", undefined],
    ];
    for (const [value, purpose] of cases) {
        it(`${value} is ${purpose ?? "public"}`, () => {
            assert.strictEqual(specialPurposeOf(value), purpose);
        });
    }

    it("aws.endpointPublicAccessCidrs refuses a private block (EKS only sees public sources there)", () => {
        const problems = problemsOf(
            parse({ "platform:cloud": "aws", "platform:aws": { region: "eu-west-1", endpointPublicAccessCidrs: ["10.0.0.0/16"] } }, {}, {}),
        );
        const found = problems.find((p) => p.key === "platform:aws.endpointPublicAccessCidrs[0]");
        assert.ok(found, JSON.stringify(problems));
        assert.match(found.message, /is a private range, but the EKS API endpoint only sees public source addresses/);
    });

    it("app.allowedSourceRanges accepts a private block (an internal load balancer sees private sources)", () => {
        const problems = problemsOf(
            parse(
                {
                    "platform:cloud": "aws",
                    "platform:aws": { region: "eu-west-1", endpointPublicAccessCidrs: ["10.0.0.0/16"] },
                    "platform:app": { allowedSourceRanges: ["10.0.0.0/16"] },
                },
                {},
                {},
            ),
        );
        assert.ok(!problems.some((p) => p.key.startsWith("platform:app.allowedSourceRanges")), JSON.stringify(problems));
    });
});

describe("placeholder GUIDs", () => {
    for (const guid of [
        "00000000-0000-0000-0000-000000000000",
        "00000000-0000-4000-8000-000000000001",
        "11111111-1111-1111-1111-111111111111",
        "12345678-1234-1234-1234-123456789012",
        "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa",
    ]) {
        it(`${guid} is a placeholder`, () => {
            assert.strictEqual(isPlaceholderGuid(guid), true);
        });
    }

    it("10,000 random (version 4) GUIDs, as Entra ID issues them, are never placeholders", () => {
        for (let i = 0; i < 10_000; i++) {
            const guid = randomUUID();
            assert.strictEqual(isPlaceholderGuid(guid), false, guid);
        }
        assert.strictEqual(isPlaceholderGuid(STAND_IN_GUID), false);
    });
});
