/**
 * checkov (from PyPI, installed into a cached virtual environment by the test itself) on the
 * Kubernetes manifests every committed stack deploys, rendered from the real program under the
 * mocks: 0 failed checks, except the skips named and justified in policy/checkov-skips.yaml.
 * The cloud resources (EKS, RDS, AKS, ...) are Pulumi resources, which checkov cannot read (it
 * scans Terraform, CloudFormation, ARM and Bicep); docs/policy.md maps its cloud checks to rules.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { CHECKOV_VERSION, CheckovFinding, CheckovResult, ensureCheckov, runCheckov } from "./support/checkov";
import { manifestsOf, writeManifests } from "./support/manifests";
import { runStack, withScratchKubeconfig } from "../../harness/runStack";
import { COMMITTED_STACKS } from "../../harness/committedStacks";
import { PROJECT_DIR, readStackFile } from "../../harness/stackFiles";

/** One justified skip. */
interface Skip {
    readonly id: string;
    readonly reason: string;
}

function readSkips(): Skip[] {
    const document = parse(fs.readFileSync(path.join(PROJECT_DIR, "policy", "checkov-skips.yaml"), "utf8")) as { skips?: Skip[] } | null;
    return document?.skips ?? [];
}

/** The stack a finding's file belongs to (files are written to <root>/<stack>/...). */
function stackOf(finding: CheckovFinding): string {
    return finding.file.replace(/^\/+/, "").split("/")[0];
}

describe(`checkov ${CHECKOV_VERSION} on the committed stacks' Kubernetes manifests`, function () {
    // A cold install of checkov from PyPI takes minutes; later runs reuse the cached environment.
    this.timeout(30 * 60 * 1000);
    const skips = readSkips();
    const manifestCount = new Map<string, number>();
    let result: CheckovResult;
    let devDeployment: Record<string, unknown> | undefined;

    before(async () => {
        const root = fs.mkdtempSync(path.join(os.tmpdir(), "platform-checkov-"));
        for (const stack of COMMITTED_STACKS) {
            const run = await runStack(stack, withScratchKubeconfig(readStackFile(stack)));
            if (run.error) throw run.error;
            const manifests = manifestsOf(run.registrations);
            manifestCount.set(stack, manifests.length);
            if (stack === "dev") devDeployment = manifests.find((m) => m.object.kind === "Deployment")?.object;
            writeManifests(path.join(root, stack), manifests);
        }
        result = await runCheckov(await ensureCheckov(), root);
    });

    it("every skip names a check and says why", () => {
        for (const skip of skips) {
            assert.match(skip.id, /^CKV2?_K8S_\d+$/, `skip ${JSON.stringify(skip)}`);
            assert.ok(skip.reason.length >= 40, `skip ${skip.id}: the reason must say why`);
        }
        assert.strictEqual(new Set(skips.map((s) => s.id)).size, skips.length, "a check is skipped twice");
    });

    for (const stack of COMMITTED_STACKS) {
        it(`${stack}: 0 failed checks`, () => {
            const findings = result.failed.filter((f) => stackOf(f) === stack);
            const unjustified = findings.filter((f) => !skips.some((s) => s.id === f.checkId));
            assert.deepStrictEqual(
                unjustified.map((f) => `${f.checkId} ${f.resource}: ${f.checkName}`),
                [],
            );
            // The swarm stack deploys no Kubernetes objects; every other stack must have been scanned.
            if (readStackFile(stack).config["platform:cloud"] !== "swarm")
                assert.ok((manifestCount.get(stack) ?? 0) > 5, `${stack} rendered no manifests`);
        });
    }

    it("scanned every manifest and passed checks on them", () => {
        const total = [...manifestCount.values()].reduce((a, b) => a + b, 0);
        assert.ok(result.resourceCount >= total - 1, `checkov read ${result.resourceCount} of ${total} manifests`);
        assert.ok(result.passed.length > 100, `only ${result.passed.length} passed checks`);
    });

    it("fails a Deployment that reads a password from a Secret into its environment (CKV_K8S_35)", async () => {
        assert.ok(devDeployment, "dev renders no Deployment");
        const copy = structuredClone(devDeployment) as { spec: { template: { spec: { containers: { env: unknown[] }[] } } } };
        copy.spec.template.spec.containers[0].env.push({
            name: "PGPASSWORD",
            valueFrom: { secretKeyRef: { name: "web-connection", key: "postgres-password" } },
        });
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "platform-checkov-env-"));
        writeManifests(dir, [{ file: "deployment.yaml", object: copy }]);
        const found = await runCheckov(await ensureCheckov(), dir);
        assert.ok(
            found.failed.some((f) => f.checkId === "CKV_K8S_35" && f.resource === "Deployment.app.web"),
            JSON.stringify(found.failed),
        );
    });

    after(() => {
        if (result === undefined) return;
        // The figures the README and docs/policy.md quote: passed, failed and skipped checks per stack.
        for (const stack of COMMITTED_STACKS) {
            const failed = result.failed.filter((f) => stackOf(f) === stack);
            const skipped = failed.filter((f) => skips.some((s) => s.id === f.checkId)).length;
            console.log(
                `      checkov ${stack}: ${result.passed.filter((f) => stackOf(f) === stack).length} passed, ${failed.length - skipped} failed, ${skipped} skipped`,
            );
        }
    });

    it("every skip is still needed by some stack", () => {
        const stale = skips.filter((s) => !result.failed.some((f) => f.checkId === s.id));
        assert.deepStrictEqual(
            stale.map((s) => s.id),
            [],
            "remove these from policy/checkov-skips.yaml",
        );
    });
});
