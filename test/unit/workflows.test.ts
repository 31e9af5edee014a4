/**
 * The CI workflows (.github/workflows): actionlint passes over them, and their shape holds what
 * docs/ci.md promises: triggers, least permissions with OIDC and no stored cloud keys, one
 * edited PR comment per stack, every committed stack in the matrices, gated environments on
 * deploy, concurrency keys, and the Pulumi version read from tools/versions.env.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { COMMITTED_STACKS, PROJECT_DIR, readStackFile } from "../../harness/stackFiles";

/** A step of a job or composite action, as far as these checks read it. */
interface Step {
    readonly id?: string;
    readonly name?: string;
    readonly uses?: string;
    readonly run?: string;
    readonly if?: string;
    readonly with?: Record<string, unknown>;
    readonly env?: Record<string, string>;
}

/** A matrix `include` entry of ours. */
interface MatrixEntry {
    readonly stack: string;
    readonly cloud: string;
    readonly runner: string | string[];
}

interface Job {
    readonly "runs-on"?: unknown;
    readonly needs?: string | string[];
    readonly environment?: string | { readonly name: string };
    readonly concurrency?: { readonly group: string; readonly "cancel-in-progress"?: boolean };
    readonly strategy?: { readonly matrix?: { readonly include?: MatrixEntry[] } };
    readonly steps: Step[];
}

interface Workflow {
    readonly on: Record<string, unknown>;
    readonly permissions?: Record<string, string>;
    readonly concurrency?: { readonly group: string; readonly "cancel-in-progress"?: boolean };
    readonly jobs: Record<string, Job>;
}

const GITHUB_DIR = path.join(PROJECT_DIR, ".github");
const WORKFLOWS_DIR = path.join(GITHUB_DIR, "workflows");
const SETUP_ACTION = path.join(GITHUB_DIR, "actions", "setup-platform", "action.yml");

function text(file: string): string {
    return fs.readFileSync(file, "utf8");
}

function workflow(name: string): Workflow {
    return parse(text(path.join(WORKFLOWS_DIR, `${name}.yml`))) as Workflow;
}

/** Every YAML file under .github, with its text. */
function githubFiles(dir = GITHUB_DIR): { file: string; text: string }[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) return githubFiles(full);
        return /\.ya?ml$/.test(entry.name) ? [{ file: path.relative(PROJECT_DIR, full), text: text(full) }] : [];
    });
}


/** A version pinned in tools/versions.env. */
function pinnedVersion(name: string): string {
    const match = new RegExp(`^${name}=(\\S+)$`, "m").exec(text(path.join(PROJECT_DIR, "tools", "versions.env")));
    assert.ok(match, `tools/versions.env pins no ${name}`);
    return match[1];
}

function stepsUsing(job: Job, action: string): Step[] {
    return job.steps.filter((s) => s.uses?.split("@")[0] === action);
}

function environmentOf(job: Job): string | undefined {
    return typeof job.environment === "string" ? job.environment : job.environment?.name;
}

function needsOf(job: Job): string[] {
    return job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs];
}

/** The matrix stacks of a per-stack workflow job, checked against the committed stack files. */
function assertMatrixCoversStacks(job: Job, where: string): void {
    const include = job.strategy?.matrix?.include ?? [];
    assert.deepStrictEqual(include.map((e) => e.stack).sort(), [...COMMITTED_STACKS], `${where}: the matrix must list every committed stack once`);
    for (const entry of include) {
        assert.strictEqual(entry.cloud, readStackFile(entry.stack).config["platform:cloud"], `${where}: matrix cloud of ${entry.stack} differs from Pulumi.${entry.stack}.yaml`);
    }
    assert.strictEqual(job["runs-on"], "${{ matrix.runner }}", `${where}: each stack runs on its matrix runner`);
}

/** Cloud logins: AWS by role (OIDC), Azure by federated credential; never a key or secret. */
function assertOidcLogins(job: Job, where: string): void {
    for (const step of stepsUsing(job, "aws-actions/configure-aws-credentials")) {
        assert.strictEqual(step.with?.["role-to-assume"], "${{ vars.AWS_ROLE_ARN }}", `${where}: AWS login must assume vars.AWS_ROLE_ARN`);
        for (const key of ["aws-access-key-id", "aws-secret-access-key", "aws-session-token"]) assert.strictEqual(step.with?.[key], undefined, `${where}: AWS login must not take ${key}`);
    }
    for (const step of stepsUsing(job, "azure/login")) {
        assert.deepStrictEqual(
            [step.with?.["client-id"], step.with?.["tenant-id"], step.with?.["subscription-id"]],
            ["${{ vars.AZURE_CLIENT_ID }}", "${{ vars.AZURE_TENANT_ID }}", "${{ vars.AZURE_SUBSCRIPTION_ID }}"],
            `${where}: Azure login must take its ids from vars`,
        );
        assert.strictEqual(step.with?.creds, undefined, `${where}: Azure login must not take a creds JSON (it holds a client secret)`);
        assert.strictEqual(step.with?.["client-secret"], undefined, `${where}: Azure login must not take a client secret`);
    }
}

/** The pulumi/actions version input comes from the setup action's output. */
function assertPulumiVersionFromSetup(job: Job, where: string): void {
    if (stepsUsing(job, "pulumi/actions").length === 0) return;
    const setup = job.steps.find((s) => s.uses === "./.github/actions/setup-platform");
    assert.ok(setup?.id, `${where}: the setup-platform step needs an id`);
    for (const step of stepsUsing(job, "pulumi/actions")) {
        assert.strictEqual(step.with?.["pulumi-version"], `\${{ steps.${setup.id}.outputs.pulumi-version }}`, `${where}: pulumi/actions must use the version from tools/versions.env`);
    }
}

function actionlintBinary(): string {
    const cache = process.env.PLATFORM_CACHE ?? path.join(os.homedir(), ".cache", "multicloud-platform");
    return path.join(cache, "toolchain", `actionlint-${pinnedVersion("ACTIONLINT_VERSION")}`, "bin", "actionlint");
}

describe("CI workflows", () => {
    it("actionlint (the version of tools/versions.env) finds no problem in .github/workflows", function () {
        this.timeout(15 * 60 * 1000);
        let binary = actionlintBinary();
        if (!fs.existsSync(binary)) {
            const build = spawnSync(path.join(PROJECT_DIR, "tools", "toolchain.sh"), ["actionlint"], { cwd: PROJECT_DIR, encoding: "utf8" });
            assert.strictEqual(build.status, 0, `tools/toolchain.sh actionlint failed:\n${build.stdout}\n${build.stderr}`);
            binary = actionlintBinary();
        }
        const lint = spawnSync(binary, ["-no-color"], { cwd: PROJECT_DIR, encoding: "utf8" });
        assert.strictEqual(lint.status, 0, `actionlint:\n${lint.stdout}\n${lint.stderr}`);
    });

    it("no cloud key or client secret is read from secrets; jobs use OIDC tokens", () => {
        const files = githubFiles();
        assert.ok(files.length >= 3, "expected the workflows under .github");
        for (const { file, text: body } of files) {
            assert.doesNotMatch(body, /secrets\.[A-Z_]*(AWS|AZURE|ARM|CLIENT_SECRET|ACCESS_KEY|PULUMI_ACCESS_TOKEN)/, `${file} reads a cloud key from secrets`);
            assert.doesNotMatch(body, /aws-secret-access-key|client-secret|AZURE_CREDENTIALS/, `${file} passes a long-lived cloud credential`);
        }
        for (const name of ["preview", "deploy", "drift"]) {
            const wf = workflow(name);
            assert.strictEqual(wf.permissions?.["id-token"], "write", `${name}: id-token: write is what OIDC needs`);
            assert.strictEqual(wf.permissions?.contents, "read", `${name}: contents: read`);
            for (const [jobName, job] of Object.entries(wf.jobs)) assertOidcLogins(job, `${name}.${jobName}`);
        }
    });

    it("the Pulumi version is read from tools/versions.env into $GITHUB_OUTPUT by the shared setup action", () => {
        const action = parse(text(SETUP_ACTION)) as { runs: { steps: Step[] }; outputs: Record<string, { value: string }> };
        const read = action.runs.steps.find((s) => s.run?.includes("tools/versions.env"));
        assert.ok(read?.id, "a setup step with an id reads tools/versions.env");
        assert.match(read.run ?? "", /PULUMI_VERSION/);
        assert.match(read.run ?? "", /pulumi-version=.*>> "\$GITHUB_OUTPUT"/);
        assert.strictEqual(action.outputs["pulumi-version"].value, `\${{ steps.${read.id}.outputs.pulumi-version }}`);
        assert.match(pinnedVersion("PULUMI_VERSION"), /^\d+\.\d+\.\d+$/);
        for (const name of ["preview", "deploy", "drift"]) {
            for (const [jobName, job] of Object.entries(workflow(name).jobs)) assertPulumiVersionFromSetup(job, `${name}.${jobName}`);
        }
    });

    it("preview: on pull requests, one job per committed stack, one edited comment per stack, policy pack enforced", () => {
        const wf = workflow("preview");
        assert.ok("pull_request" in wf.on, "preview runs on pull_request");
        assert.deepStrictEqual(wf.permissions, { contents: "read", "pull-requests": "write", "id-token": "write" });
        const job = wf.jobs.preview;
        assertMatrixCoversStacks(job, "preview");
        assert.strictEqual(job.concurrency?.group, "preview-${{ github.event.pull_request.number }}-${{ matrix.stack }}");
        const [preview, ...others] = stepsUsing(job, "pulumi/actions");
        assert.strictEqual(others.length, 0, "one pulumi/actions step: one comment per stack");
        assert.deepStrictEqual(
            ["command", "stack-name", "comment-on-pr", "edit-pr-comment", "always-include-summary", "policyPacks", "policyPackConfigs"].map((k) => preview.with?.[k]),
            ["preview", "${{ vars.PULUMI_ORG }}/platform/${{ matrix.stack }}", true, true, true, "policy", "policy/generated/${{ matrix.stack }}.json"],
        );
    });

    it("preview: per stack, the cost estimate of the PR head against the base commit's, computed the same way, in one edited comment before the diff", () => {
        const job = workflow("preview").jobs.preview;
        const index = (pred: (s: Step) => boolean) => job.steps.findIndex(pred);
        const base = job.steps[index((s) => (s.run ?? "").includes("git worktree add"))];
        assert.ok(base, "a step checks out the base commit");
        assert.strictEqual(base.env?.BASE_SHA, "${{ github.event.pull_request.base.sha }}", "the base is the PR's base commit");
        assert.match(base.run ?? "", /git worktree add --detach "\$RUNNER_TEMP\/base" "\$BASE_SHA"/);
        assert.match(base.run ?? "", /npm ci[^\n]*\n\s*npm run build\n\s*PULUMI_NODEJS_ROOT_DIRECTORY="\$PWD" node bin\/scripts\/costEstimate\.js --stack "\$STACK" > "\$RUNNER_TEMP\/cost-base\.json"/, "the base commit is built and estimated by its own script");
        const head = job.steps[index((s) => /costEstimate\.js --stack "\$STACK" --markdown --base "\$RUNNER_TEMP\/cost-base\.json"/.test(s.run ?? ""))];
        assert.ok(head, "the head estimate is rendered against the base record");
        assert.match(head.run ?? "", /set -o pipefail/, "a failing estimate fails the step despite the tee");
        const [post, ...more] = stepsUsing(job, "actions/github-script");
        assert.strictEqual(more.length, 0, "one cost comment step");
        const script = String(post.with?.script);
        assert.match(script, /<!-- platform-cost:\$\{stack\} -->/, "the comment is found again by its per-stack marker");
        assert.match(script, /updateComment/, "every push edits the same comment");
        assert.match(script, /cost\.md/);
        const preview = index((s) => s.uses?.split("@")[0] === "pulumi/actions");
        assert.ok(index((s) => s === base) < index((s) => s === head) && index((s) => s === head) < index((s) => s === post) && index((s) => s === post) < preview, "base, head, comment, then the preview");
        for (const step of [base, head, post]) assert.strictEqual(step.env?.STACK, "${{ matrix.stack }}");
    });

    it("deploy: push to main runs dev → staging → prod, each in its environment, production gated", () => {
        const wf = workflow("deploy");
        const push = wf.on.push as { branches?: string[] } | undefined;
        assert.deepStrictEqual(push?.branches, ["main"]);
        assert.strictEqual(wf.permissions?.["pull-requests"], undefined, "deploy needs no pull-requests permission");
        assert.deepStrictEqual(wf.concurrency, { group: "deploy-main", "cancel-in-progress": false }, "deploys queue and are never cancelled mid-update");
        const chain: [string, string, string | undefined][] = [
            ["dev", "dev", "build"],
            ["staging", "staging", "dev"],
            ["prod", "production", "staging"],
        ];
        for (const [jobName, environment, after] of chain) {
            const job = wf.jobs[jobName];
            assert.ok(job, `deploy has a ${jobName} job`);
            assert.strictEqual(environmentOf(job), environment, `${jobName} deploys in environment ${environment}`);
            if (after) assert.ok(needsOf(job).includes(after), `${jobName} needs ${after}`);
            const [up, ...others] = stepsUsing(job, "pulumi/actions");
            assert.strictEqual(others.length, 0);
            assert.deepStrictEqual(
                ["command", "stack-name", "policyPacks", "policyPackConfigs"].map((k) => up.with?.[k]),
                ["up", `\${{ vars.PULUMI_ORG }}/platform/${jobName}`, "policy", `policy/generated/${jobName}.json`],
            );
            assert.strictEqual(job.concurrency, undefined, "the workflow-level group serialises deploys");
        }
        assert.ok(needsOf(wf.jobs.staging).includes("build") && needsOf(wf.jobs.prod).includes("build"), "every stack deploys what build checked");
        assert.match(text(path.join(PROJECT_DIR, "docs", "ci.md")), /required reviewers/i, "docs/ci.md says how production is gated");
    });

    it("every job that runs npm test installs Redis and PostgreSQL (apt) before it, as the app's tests need", () => {
        const testing = ["preview", "deploy", "drift"].flatMap((name) => Object.entries(workflow(name).jobs).map(([job, j]) => ({ at: `${name}.${job}`, steps: j.steps })));
        const withNpmTest = testing.filter((j) => j.steps.some((s) => /^\s*npm test\s*$/m.test(s.run ?? "")));
        assert.deepStrictEqual(withNpmTest.map((j) => j.at), ["deploy.build"]);
        for (const job of withNpmTest) {
            const test = job.steps.findIndex((s) => /^\s*npm test\s*$/m.test(s.run ?? ""));
            const install = job.steps.findIndex((s) => /apt-get install\b.*\bredis-server\b/.test(s.run ?? "") && /apt-get install\b.*\bpostgresql\b/.test(s.run ?? ""));
            assert.ok(install >= 0 && install < test, `${job.at} installs redis-server and postgresql with apt-get before npm test`);
        }
    });

    it("drift: daily and on demand, preview --refresh --expect-no-changes per stack, one issue per stack labelled drift:<stack>", () => {
        const wf = workflow("drift");
        assert.ok("schedule" in wf.on && "workflow_dispatch" in wf.on);
        assert.strictEqual(wf.permissions?.issues, "write");
        const job = wf.jobs.drift;
        assertMatrixCoversStacks(job, "drift");
        assert.strictEqual(job.concurrency?.group, "drift-${{ matrix.stack }}");
        const preview = job.steps.find((s) => s.run?.includes("pulumi preview"));
        assert.match(preview?.run ?? "", /--refresh/);
        assert.match(preview?.run ?? "", /--expect-no-changes/);
        const [script, ...others] = stepsUsing(job, "actions/github-script");
        assert.strictEqual(others.length, 0);
        const body = String(script.with?.script);
        assert.match(body, /drift:\$\{stack\}/, "the issue is found by its drift:<stack> label");
        assert.match(body, /issues\.create\b/);
        assert.match(body, /state: "closed"/, "a clean run closes the issue");
    });
});
