/**
 * checkov, the scanner platform teams run on Kubernetes manifests: installed from PyPI into a
 * virtual environment cached by version (the first run pays for the install, later runs reuse
 * it), and run with its results as JSON.
 */
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";

const run = promisify(execFile);

/** The checkov release the tests pin (a newer one adds checks: update on purpose). */
export const CHECKOV_VERSION = "3.3.30";

/** Folder of the cached virtual environment: $PLATFORM_CACHE (default ~/.cache/multicloud-platform)/venv/checkov-<version>. */
export function checkovVenv(version: string = CHECKOV_VERSION): string {
    const cache = process.env.PLATFORM_CACHE ?? path.join(os.homedir(), ".cache", "multicloud-platform");
    return path.join(cache, "venv", `checkov-${version}`);
}

/**
 * The checkov executable, installing it first when the cache has none. The install runs under
 * flock on a file beside the folder, so two test runs never install into the same folder; the
 * marker file is written last, so an interrupted install is redone instead of half used.
 */
export async function ensureCheckov(version: string = CHECKOV_VERSION): Promise<string> {
    const venv = checkovVenv(version);
    const marker = path.join(venv, ".installed");
    const binary = path.join(venv, "bin", "checkov");
    if (fs.existsSync(marker) && fs.existsSync(binary)) return binary;
    fs.mkdirSync(path.dirname(venv), { recursive: true });
    const script = [
        "set -eu",
        '[ -f "$1/.installed" ] && exit 0',
        'rm -rf "$1"',
        'python3 -m venv "$1"',
        '"$1/bin/pip" install --disable-pip-version-check --no-input --quiet "checkov==$2"',
        'echo "$2" > "$1/.installed"',
    ].join("\n");
    await run("flock", [`${venv}.lock`, "sh", "-c", script, "sh", venv, version], { maxBuffer: 64 * 1024 * 1024 });
    return binary;
}

/** One check result (passed or failed) as checkov reports it. */
export interface CheckovFinding {
    readonly checkId: string;
    readonly checkName: string;
    /** checkov's resource id: Kind.namespace.name. */
    readonly resource: string;
    /** The file, relative to the scanned folder. */
    readonly file: string;
}

/** What one checkov run over a folder found. */
export interface CheckovResult {
    readonly passed: readonly CheckovFinding[];
    readonly failed: readonly CheckovFinding[];
    readonly resourceCount: number;
}

interface RawCheck {
    check_id: string;
    check_name: string;
    resource: string;
    file_path: string;
}
interface RawReport {
    check_type: string;
    results: { passed_checks?: RawCheck[]; failed_checks?: RawCheck[] };
    summary: { resource_count: number };
}

/**
 * Runs `checkov -d <dir> --framework kubernetes` with JSON output. checkov exits 1 when a check
 * fails; that is a result here, not an error. --skip-download keeps it offline (no guideline links).
 */
export async function runCheckov(binary: string, dir: string): Promise<CheckovResult> {
    const args = ["-d", dir, "--framework", "kubernetes", "--output", "json", "--skip-download", "--compact"];
    let stdout: string;
    try {
        stdout = (await run(binary, args, { maxBuffer: 64 * 1024 * 1024, env: { ...process.env, LOG_LEVEL: "ERROR" } })).stdout;
    } catch (error) {
        const out = (error as { stdout?: string; code?: number }).stdout;
        if ((error as { code?: number }).code !== 1 || out === undefined) throw error;
        stdout = out;
    }
    // An empty folder gives a bare summary without results.
    const parsed = JSON.parse(stdout === "" ? "[]" : stdout) as RawReport | RawReport[] | { passed: number; failed: number };
    const reports = Array.isArray(parsed) ? parsed : "results" in parsed ? [parsed] : [];
    const findings = (checks: RawCheck[] | undefined) =>
        (checks ?? []).map((c) => ({ checkId: c.check_id, checkName: c.check_name, resource: c.resource, file: c.file_path }));
    return {
        passed: reports.flatMap((r) => findings(r.results.passed_checks)),
        failed: reports.flatMap((r) => findings(r.results.failed_checks)),
        resourceCount: reports.reduce((n, r) => n + r.summary.resource_count, 0),
    };
}
