/** The machine and versions a benchmark ran on, printed above its tables. */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ROOT } from "./proc";

function packageVersion(name: string): string {
    try {
        return (JSON.parse(fs.readFileSync(path.join(ROOT, "node_modules", name, "package.json"), "utf8")) as { version: string }).version;
    } catch {
        return "not installed";
    }
}

/** The Pulumi CLI version from the built toolchain, or why there is none. */
export function pulumiCliVersion(): string {
    try {
        return execFileSync("bash", ["-c", `source ${JSON.stringify(path.join(ROOT, "tools", "env.sh"))} && pulumi version`], {
            encoding: "utf8",
            timeout: 60_000,
        }).trim();
    } catch {
        return "not built (tools/toolchain.sh)";
    }
}

/** Lines describing the machine: cores, memory, load at start, versions. */
export function describeMachine(): string[] {
    const load = os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(" ");
    return [
        `date: ${new Date().toISOString()}`,
        `machine: ${os.cpus()[0]?.model ?? "cpu"} × ${String(os.availableParallelism())} (nproc), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, load average at start ${load}`,
        `node ${process.version}, @pulumi/pulumi ${packageVersion("@pulumi/pulumi")}, typescript ${packageVersion("typescript")}, pulumi CLI ${pulumiCliVersion()}`,
    ];
}
