/**
 * The CI workflows (.github/workflows): actionlint passes over them, and their shape holds what
 * docs/ci.md promises: triggers, least permissions with OIDC and no stored cloud keys, one
 * edited PR comment per stack, every committed stack in the matrices, gated environments on
 * deploy, concurrency keys, and the Pulumi version read from tools/versions.env; and the
 * real-cloud test (cloud-e2e.yml): an ephemeral stack per cloud, deployed, called, checked and
 * always destroyed.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { COMMITTED_STACKS } from "../../harness/committedStacks";
import { PROJECT_DIR, readCommittedStackFile, readStackFile } from "../../harness/stackFiles";

/** A step of a job or composite action, as far as these checks read it. */
interface Step {
    readonly id?: string;
    readonly name?: string;
    readonly uses?: string;
    readonly run?: string;
    readonly if?: string;
    readonly with?: Record<string, unknown>;
    readonly env?: Record<string, string>;
    readonly "timeout-minutes"?: number;
}

/** A matrix `include` entry of ours. */
interface MatrixEntry {
    readonly stack: string;
    readonly cloud: string;
    readonly runner: string | string[];
}

interface Job {
    readonly if?: string;
    readonly "runs-on"?: unknown;
    readonly "timeout-minutes"?: number;
    readonly permissions?: Record<string, string>;
    readonly env?: Record<string, string>;
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
    assert.deepStrictEqual(
        include.map((e) => e.stack).sort(),
        [...COMMITTED_STACKS],
        `${where}: the matrix must list every committed stack once`,
    );
    for (const entry of include) {
        assert.strictEqual(
            entry.cloud,
            readStackFile(entry.stack).config["platform:cloud"],
            `${where}: matrix cloud of ${entry.stack} differs from Pulumi.${entry.stack}.yaml`,
        );
    }
    assert.strictEqual(job["runs-on"], "${{ matrix.runner }}", `${where}: each stack runs on its matrix runner`);
}

/** Cloud logins: AWS by role (OIDC), Azure by federated credential; never a key or secret. */
function assertOidcLogins(job: Job, where: string): void {
    for (const step of stepsUsing(job, "aws-actions/configure-aws-credentials")) {
        assert.strictEqual(step.with?.["role-to-assume"], "${{ vars.AWS_ROLE_ARN }}", `${where}: AWS login must assume vars.AWS_ROLE_ARN`);
        for (const key of ["aws-access-key-id", "aws-secret-access-key", "aws-session-token"])
            assert.strictEqual(step.with?.[key], undefined, `${where}: AWS login must not take ${key}`);
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
        assert.strictEqual(
            step.with?.["pulumi-version"],
            `\${{ steps.${setup.id}.outputs.pulumi-version }}`,
            `${where}: pulumi/actions must use the version from tools/versions.env`,
        );
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
            const build = spawnSync(path.join(PROJECT_DIR, "tools", "toolchain.sh"), ["actionlint"], {
                cwd: PROJECT_DIR,
                encoding: "utf8",
            });
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
            assert.doesNotMatch(
                body,
                /secrets\.[A-Z_]*(AWS|AZURE|ARM|CLIENT_SECRET|ACCESS_KEY|PULUMI_ACCESS_TOKEN)/,
                `${file} reads a cloud key from secrets`,
            );
            assert.doesNotMatch(
                body,
                /aws-secret-access-key|client-secret|AZURE_CREDENTIALS/,
                `${file} passes a long-lived cloud credential`,
            );
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
            ["command", "stack-name", "comment-on-pr", "edit-pr-comment", "always-include-summary", "policyPacks", "policyPackConfigs"].map(
                (k) => preview.with?.[k],
            ),
            [
                "preview",
                "${{ vars.PULUMI_ORG }}/platform/${{ matrix.stack }}",
                true,
                true,
                true,
                "policy",
                "policy/generated/${{ matrix.stack }}.json",
            ],
        );
    });

    it("preview: per stack, the cost estimate of the PR head against the base commit's, computed the same way, in one edited comment before the diff", () => {
        const job = workflow("preview").jobs.preview;
        const index = (pred: (s: Step) => boolean) => job.steps.findIndex(pred);
        const base = job.steps[index((s) => (s.run ?? "").includes("git worktree add"))];
        assert.ok(base, "a step checks out the base commit");
        assert.strictEqual(base.env?.BASE_SHA, "${{ github.event.pull_request.base.sha }}", "the base is the PR's base commit");
        assert.match(base.run ?? "", /git worktree add --detach "\$RUNNER_TEMP\/base" "\$BASE_SHA"/);
        assert.match(
            base.run ?? "",
            /npm ci[^\n]*\n\s*npm run build\n\s*PULUMI_NODEJS_ROOT_DIRECTORY="\$PWD" node bin\/scripts\/costEstimate\.js --stack "\$STACK" > "\$RUNNER_TEMP\/cost-base\.json"/,
            "the base commit is built and estimated by its own script",
        );
        const head =
            job.steps[
                index((s) => /costEstimate\.js --stack "\$STACK" --markdown --base "\$RUNNER_TEMP\/cost-base\.json"/.test(s.run ?? ""))
            ];
        assert.ok(head, "the head estimate is rendered against the base record");
        assert.match(head.run ?? "", /set -o pipefail/, "a failing estimate fails the step despite the tee");
        const [post, ...more] = stepsUsing(job, "actions/github-script");
        assert.strictEqual(more.length, 0, "one cost comment step");
        const script = String(post.with?.script);
        assert.match(script, /<!-- platform-cost:\$\{stack\} -->/, "the comment is found again by its per-stack marker");
        assert.match(script, /updateComment/, "every push edits the same comment");
        assert.match(script, /cost\.md/);
        const preview = index((s) => s.uses?.split("@")[0] === "pulumi/actions");
        assert.ok(
            index((s) => s === base) < index((s) => s === head) &&
                index((s) => s === head) < index((s) => s === post) &&
                index((s) => s === post) < preview,
            "base, head, comment, then the preview",
        );
        for (const step of [base, head, post]) assert.strictEqual(step.env?.STACK, "${{ matrix.stack }}");
    });

    it("deploy: push to main runs dev → staging → prod, each in its environment, production gated", () => {
        const wf = workflow("deploy");
        const push = wf.on.push as { branches?: string[] } | undefined;
        assert.deepStrictEqual(push?.branches, ["main"]);
        assert.strictEqual(wf.permissions?.["pull-requests"], undefined, "deploy needs no pull-requests permission");
        assert.deepStrictEqual(
            wf.concurrency,
            { group: "deploy-main", "cancel-in-progress": false },
            "deploys queue and are never cancelled mid-update",
        );
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
            const [install, up, ...others] = stepsUsing(job, "pulumi/actions");
            assert.strictEqual(others.length, 0);
            assert.deepStrictEqual(install.with, { "pulumi-version": "${{ steps.setup.outputs.pulumi-version }}" }, "the CLI alone first");
            assert.deepStrictEqual(
                ["command", "stack-name", "policyPacks", "policyPackConfigs"].map((k) => up.with?.[k]),
                ["up", `\${{ vars.PULUMI_ORG }}/platform/${jobName}`, "policy", `policy/generated/${jobName}.json`],
            );
            // Issue 19: the stack's old passwords are carried over between the CLI and the up.
            const migrate = job.steps.findIndex((step) => step.run?.includes("bin/scripts/migratePasswords.js") === true);
            assert.strictEqual(
                job.steps[migrate]?.run?.trim(),
                `node bin/scripts/migratePasswords.js --stack "$PULUMI_ORG/platform/${jobName}"`,
            );
            assert.ok(job.steps.indexOf(install) < migrate && migrate < job.steps.indexOf(up), `${jobName}: CLI, then passwords, then up`);
            assert.strictEqual(job.concurrency, undefined, "the workflow-level group serialises deploys");
        }
        assert.ok(
            needsOf(wf.jobs.staging).includes("build") && needsOf(wf.jobs.prod).includes("build"),
            "every stack deploys what build checked",
        );
        assert.match(text(path.join(PROJECT_DIR, "docs", "ci.md")), /required reviewers/i, "docs/ci.md says how production is gated");
    });

    it("every job that runs npm test installs Redis and PostgreSQL (apt) before it, as the app's tests need", () => {
        const testing = ["preview", "deploy", "drift"].flatMap((name) =>
            Object.entries(workflow(name).jobs).map(([job, j]) => ({ at: `${name}.${job}`, steps: j.steps })),
        );
        const withNpmTest = testing.filter((j) => j.steps.some((s) => /^\s*npm test\s*$/m.test(s.run ?? "")));
        assert.deepStrictEqual(
            withNpmTest.map((j) => j.at),
            ["deploy.build"],
        );
        for (const job of withNpmTest) {
            const test = job.steps.findIndex((s) => /^\s*npm test\s*$/m.test(s.run ?? ""));
            const install = job.steps.findIndex(
                (s) => /apt-get install\b.*\bredis-server\b/.test(s.run ?? "") && /apt-get install\b.*\bpostgresql\b/.test(s.run ?? ""),
            );
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

/** The run scripts of a job, in step order, joined (where a command comes before another). */
function runScript(job: Job): string {
    return job.steps.flatMap((s) => (s.run === undefined ? [] : [s.run])).join("\n");
}

/** Asserts that each pattern matches `script` after the previous one's match. */
function assertInOrder(script: string, patterns: readonly RegExp[], where: string): void {
    let from = 0;
    for (const pattern of patterns) {
        const match = new RegExp(pattern.source, pattern.flags.replace("g", "")).exec(script.slice(from));
        assert.ok(match, `${where}: no ${pattern} after the commands before it (order: ${patterns.join(", ")})`);
        from += match.index + match[0].length;
    }
}

describe("CI workflow cloud-e2e (real-cloud test)", () => {
    let wf: Workflow;
    let body: string;
    before(() => {
        body = text(path.join(WORKFLOWS_DIR, "cloud-e2e.yml"));
        wf = parse(body) as Workflow;
    });
    /** Per job: the committed stack file it copies and the keys it must set to the runner's /32. */
    const CLOUDS: Readonly<Record<string, { committed: string; runnerKeys: readonly string[] }>> = {
        aws: { committed: "staging", runnerKeys: ["platform:aws.endpointPublicAccessCidrs", "platform:app.allowedSourceRanges"] },
        azure: { committed: "prod", runnerKeys: ["platform:azure.authorizedIpRanges", "platform:app.allowedSourceRanges"] },
    };

    it("triggers: exactly workflow_dispatch (a choice of clouds, default both) and a weekly schedule", () => {
        assert.deepStrictEqual(Object.keys(wf.on).sort(), ["schedule", "workflow_dispatch"]);
        const dispatch = wf.on.workflow_dispatch as { inputs?: Record<string, { type?: string; options?: string[]; default?: string }> };
        const clouds = dispatch.inputs?.clouds;
        assert.strictEqual(clouds?.type, "choice");
        assert.deepStrictEqual([...(clouds?.options ?? [])].sort(), ["aws", "azure", "both"]);
        assert.strictEqual(clouds?.default, "both");
        const schedule = wf.on.schedule as { cron: string }[];
        assert.strictEqual(schedule.length, 1);
        assert.match(schedule[0].cron, /^\d+ \d+ \* \* [0-6]$/, "once a week");
    });

    it("permissions: contents read and id-token write (OIDC), nothing else, no job widens them", () => {
        assert.deepStrictEqual(wf.permissions, { contents: "read", "id-token": "write" });
        for (const [name, job] of Object.entries(wf.jobs))
            assert.strictEqual(job.permissions, undefined, `${name} sets its own permissions`);
    });

    it("no stored cloud key: no secrets context, no access key or client secret named anywhere", () => {
        assert.doesNotMatch(body, /\bsecrets\./, "cloud-e2e reads from secrets");
        assert.doesNotMatch(
            body,
            /AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN|ARM_CLIENT_SECRET|AZURE_CLIENT_SECRET|AZURE_CREDENTIALS|client-secret|aws-secret-access-key/,
        );
    });

    it("no ${{ }} inside a run script: values reach the shell through env", () => {
        for (const [name, job] of Object.entries(wf.jobs)) {
            for (const step of job.steps)
                assert.doesNotMatch(step.run ?? "", /\$\{\{/, `${name}: step "${step.name ?? step.run}" expands an expression inline`);
        }
    });

    it("jobs aws and azure, each guarded by the dispatch input, concurrency-keyed, with a timeout that leaves the cleanup its time", () => {
        assert.deepStrictEqual(Object.keys(wf.jobs).sort(), ["aws", "azure"]);
        for (const name of ["aws", "azure"]) {
            const job = wf.jobs[name];
            assert.strictEqual(job.if, `github.event_name == 'schedule' || inputs.clouds == 'both' || inputs.clouds == '${name}'`);
            assert.deepStrictEqual(
                job.concurrency,
                { group: `cloud-e2e-${name}`, "cancel-in-progress": false },
                `${name}: one run per cloud, never cancelled mid-update`,
            );
            const timeout = job["timeout-minutes"] ?? 0;
            assert.ok(
                timeout >= 60 && timeout <= 120,
                `${name}: timeout-minutes ${timeout}, an EKS/AKS create and destroy need about an hour`,
            );
            const up = job.steps.find((s) => /^pulumi up\b/.test(s.run ?? ""));
            const cleanup = job.steps.find((s) => s.if === "always()" && /pulumi destroy/.test(s.run ?? ""));
            assert.ok(up?.["timeout-minutes"] && cleanup?.["timeout-minutes"], `${name}: pulumi up and the cleanup have step timeouts`);
            assert.ok(
                up["timeout-minutes"] + cleanup["timeout-minutes"] < timeout,
                `${name}: a pulumi up cut off at its limit leaves the cleanup its time inside the job's`,
            );
        }
    });

    it("each job: checkout, setup, the Pulumi CLI at the version of tools/versions.env, an OIDC cloud login, then the stack", () => {
        for (const name of ["aws", "azure"]) {
            const job = wf.jobs[name];
            assert.strictEqual(job.steps[0].uses, "actions/checkout@v4");
            const setup = job.steps.findIndex((s) => s.uses === "./.github/actions/setup-platform");
            assert.ok(setup >= 0, `${name} uses the shared setup action`);
            assert.strictEqual(job.steps[setup].with?.["pulumi-org"], "${{ vars.PULUMI_ORG }}");
            const [cli, ...more] = stepsUsing(job, "pulumi/actions");
            assert.ok(cli && more.length === 0, `${name}: one pulumi/actions step installs the CLI`);
            assert.strictEqual(cli.with?.command, undefined, `${name}: pulumi/actions only installs the CLI; the run steps call it`);
            assertPulumiVersionFromSetup(job, `cloud-e2e.${name}`);
            assertOidcLogins(job, `cloud-e2e.${name}`);
            const login = job.steps.findIndex(
                (s) => s.uses?.split("@")[0] === (name === "aws" ? "aws-actions/configure-aws-credentials" : "azure/login"),
            );
            const init = job.steps.findIndex((s) => /pulumi stack init/.test(s.run ?? ""));
            assert.ok(
                setup < job.steps.indexOf(cli) && job.steps.indexOf(cli) < init && login >= 0 && login < init,
                `${name}: setup, CLI and login come before the stack`,
            );
        }
        assert.deepStrictEqual(
            [
                wf.jobs.azure.env?.ARM_USE_OIDC,
                wf.jobs.azure.env?.ARM_CLIENT_ID,
                wf.jobs.azure.env?.ARM_TENANT_ID,
                wf.jobs.azure.env?.ARM_SUBSCRIPTION_ID,
            ],
            ["true", "${{ vars.AZURE_CLIENT_ID }}", "${{ vars.AZURE_TENANT_ID }}", "${{ vars.AZURE_SUBSCRIPTION_ID }}"],
            "azure-native logs in by OIDC with the same variables as the other workflows",
        );
    });

    it("each job: stack init, up, a curl of the app URL, preview --expect-no-changes, destroy, stack rm, in this order, all on the ephemeral stack", () => {
        for (const name of ["aws", "azure"]) {
            const job = wf.jobs[name];
            const script = runScript(job);
            assertInOrder(
                script,
                [
                    /pulumi stack init "\$STACK"/,
                    /pulumi up --yes --stack "\$STACK"/,
                    /url=\$\(pulumi stack output appUrl --stack "\$STACK"\)/,
                    /\bcurl\b[^\n]*"\$url\//,
                    /pulumi preview --stack "\$STACK" --expect-no-changes/,
                    /pulumi destroy --yes --stack "\$STACK"/,
                    /pulumi stack rm --yes --stack "\$STACK"/,
                ],
                `cloud-e2e.${name}`,
            );
            // Every command that changes or reads a stack names the ephemeral one, never the selected stack.
            for (const line of script
                .split("\n")
                .filter((l) => /\bpulumi (up|preview|destroy|refresh|cancel|config set|stack (rm|output|tag))\b/.test(l))) {
                assert.match(line, /--stack "\$STACK"/, `cloud-e2e.${name}: "${line.trim()}" does not name --stack "$STACK"`);
            }
            assert.match(
                script,
                /--policy-pack policy --policy-pack-config "policy\/generated\/\$COMMITTED\.json"/,
                `${name}: the up enforces the policy pack with the committed stack's waivers`,
            );
        }
    });

    it("the app's contract: a POST to /items, then GET /items/<id> twice, asserting X-Cache miss then hit", () => {
        for (const name of ["aws", "azure"]) {
            const step = wf.jobs[name].steps.find((s) => /pulumi stack output appUrl/.test(s.run ?? ""));
            const run = step?.run ?? "";
            assertInOrder(
                run,
                [
                    /-X POST[^\n]*"\$url\/items"/,
                    /"\$url\/items\/\$id"/,
                    /first=\$\(read_item 1\)/,
                    /second=\$\(read_item 2\)/,
                    /\[\[ \$first == miss \]\] \|\| \{[^}]*exit 1/,
                    /\[\[ \$second == hit \]\] \|\| \{[^}]*exit 1/,
                ],
                `cloud-e2e.${name}`,
            );
            assert.ok(
                run.includes("sed -n 's/^[Xx]-[Cc]ache: *//p'"),
                `${name}: the cache verdict is read from the X-Cache response header`,
            );
            assert.match(
                run,
                /--retry \d+ [^\n]*--retry-all-errors[^\n]*"\$url\/readyz"/,
                `${name}: waits, with retries, until the app is ready behind its new load balancer`,
            );
        }
    });

    it("the stack name is unique per run (github.run_id and run_attempt) and is none of the committed stacks", () => {
        for (const name of ["aws", "azure"]) {
            const env = wf.jobs[name].env ?? {};
            assert.strictEqual(env.E2E_NAME, `e2e-${name}-\${{ github.run_id }}-\${{ github.run_attempt }}`);
            assert.strictEqual(env.STACK, `\${{ vars.PULUMI_ORG }}/platform/${env.E2E_NAME}`);
            assert.ok(!COMMITTED_STACKS.includes(env.E2E_NAME), `${name}: the e2e stack must not be a committed one`);
        }
    });

    it("a step with if: always() destroys and removes the stack when it still exists, last in each job", () => {
        for (const name of ["aws", "azure"]) {
            const job = wf.jobs[name];
            const cleanup = job.steps[job.steps.length - 1];
            assert.strictEqual(cleanup.if, "always()", `${name}: the last step runs whatever happened before`);
            const run = cleanup.run ?? "";
            assertInOrder(
                run,
                [
                    /pulumi stack ls --json/,
                    /\$E2E_NAME/,
                    /exit 0/,
                    /pulumi cancel --yes --stack "\$STACK" \|\| true/,
                    /pulumi destroy --yes --stack "\$STACK" --continue-on-error[^\n]*\|\| true/,
                    /pulumi stack rm --yes --stack "\$STACK" \|\|[^\n]*exit 1/,
                ],
                `cloud-e2e.${name} cleanup`,
            );
        }
    });

    it("the config is the committed stack file of the job's cloud, with the runner's /32 (and Azure's admin group) set where it holds placeholders", () => {
        for (const [name, { committed, runnerKeys }] of Object.entries(CLOUDS)) {
            const job = wf.jobs[name];
            assert.strictEqual(job.env?.COMMITTED, committed);
            assert.strictEqual(
                readCommittedStackFile(committed).config["platform:cloud"],
                name,
                `Pulumi.${committed}.yaml is the ${name} stack`,
            );
            const create = job.steps.find((s) => /pulumi stack init/.test(s.run ?? ""));
            const run = create?.run ?? "";
            assertInOrder(
                run,
                [/pulumi stack init "\$STACK"/, /cp "Pulumi\.\$COMMITTED\.yaml" "Pulumi\.\$E2E_NAME\.yaml"/, /pulumi config set/],
                `cloud-e2e.${name}`,
            );
            const ip = /(\w+)=\$\(curl -fsS[^)\n]* https:\/\/checkip\.amazonaws\.com\b/.exec(run)?.[1];
            assert.ok(ip, `${name}: the runner's public address comes from checkip`);
            assert.match(run, new RegExp(`\\[\\[ \\$${ip} =~ `), `${name}: the address is checked before it is used`);
            const set = [...run.matchAll(/pulumi config set --stack "\$STACK" --path '([^']+)\[0\]' "([^"]+)"/g)].map(
                (m) => [m[1], m[2]] as const,
            );
            for (const key of runnerKeys)
                assert.ok(
                    set.some(([k, v]) => k === key && v === `$${ip}/32`),
                    `${name}: ${key}[0] is set to "$${ip}/32"`,
                );
            const expected = name === "azure" ? [...runnerKeys, "platform:azure.adminGroupObjectIds"] : runnerKeys;
            assert.deepStrictEqual([...new Set(set.map(([k]) => k))].sort(), [...expected].sort(), `${name}: exactly these keys are set`);
            // Every placeholder the committed file holds (harness/standIns.ts) is replaced for the deploy.
            for (const key of readStackFile(committed).standIns ?? [])
                assert.ok(
                    expected.includes(key),
                    `${name}: Pulumi.${committed}.yaml holds a placeholder in ${key} that the run does not set`,
                );
        }
        const azureCreate = wf.jobs.azure.steps.find((s) => /pulumi stack init/.test(s.run ?? ""));
        assert.strictEqual(azureCreate?.env?.ADMIN_GROUP, "${{ vars.AZURE_ADMIN_GROUP_OBJECT_ID }}");
        assert.match(azureCreate?.run ?? "", /--path 'platform:azure\.adminGroupObjectIds\[0\]' "\$ADMIN_GROUP"/);
    });

    it("docs/ci.md describes it: set-up, cost per run, how the runner reaches the API server", () => {
        const doc = text(path.join(PROJECT_DIR, "docs", "ci.md"));
        assert.match(doc, /^## Real-cloud test \(cloud-e2e\.yml\)$/m);
        for (const needle of ["AZURE_ADMIN_GROUP_OBJECT_ID", "costEstimate.js", "/32", "az aks command invoke"])
            assert.ok(doc.includes(needle), `docs/ci.md does not mention ${needle}`);
    });
});
