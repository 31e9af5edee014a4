/**
 * Runs the program for one stack under the unit tests' recording mocks in this (fresh) process
 * and prints one JSON line: times since process start (performance.now()), registrations, peak RSS.
 *   node bin/bench/evalStack.js <stack>               a committed Pulumi.<stack>.yaml
 *   node bin/bench/evalStack.js dev --services <N>     the dev stack with N generated services
 * The bench runner hands the stack's config over as JSON in {@link STACK_CONFIG_ENV}, as the engine
 * hands a program its config: the timed process then reads no YAML (and starts no git) that the
 * program never would. Run by hand, it reads Pulumi.<stack>.yaml itself.
 */
// Must stay the first import: it sets what @pulumi/pulumi reads when first required.
import "./rootDirectory";
import * as pulumi from "@pulumi/pulumi";
import { buildStack } from "../stacks/buildStack";
import { loadStackConfig } from "../stacks/config";
// The cloud targets' invoke fakes, as runStack loads them.
import "../harness/awsFakes";
import "../harness/azureFakes";
import { installMocks, settle } from "../harness/mocks";
import { withScratchKubeconfig } from "../harness/runStack";
import type * as stackFiles from "../harness/stackFiles";
import type { StackConfigMap } from "../harness/stackFiles";

/** Environment variable with the stack's config map (JSON of a {@link StackConfigMap}). Default: read the stack file. */
export const STACK_CONFIG_ENV = "BENCH_STACK_CONFIG";

function stackConfig(stack: string): StackConfigMap {
    const given = process.env[STACK_CONFIG_ENV];
    if (given !== undefined) return JSON.parse(given) as StackConfigMap;
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- only by hand: the runner passes the config (see above)
    return (require("../harness/stackFiles") as typeof stackFiles).readStackFile(stack);
}

/** What one run prints. */
export interface EvalResult {
    readonly stack: string;
    readonly services: number;
    /** Process start → every module of the program required. */
    readonly loadedMs: number;
    /** Process start → the last registration reached the mock monitor. */
    readonly lastRegistrationMs: number;
    readonly registrations: number;
    /** CPU time (user + system) of this process until the last registration, ms: robust to other load on the machine. */
    readonly cpuMs: number;
    /** Peak resident set size of this process, kB. */
    readonly maxRssKb: number;
    readonly error?: string;
}

/** The dev stack's config with `count` generated services (context "app", like the sample). */
export function withServices(map: StackConfigMap, count: number): StackConfigMap {
    const services = Array.from({ length: count }, (_, i) => ({
        name: `svc-${String(i).padStart(4, "0")}`,
        context: "app",
        containerPort: 8080,
    }));
    return { ...map, config: { ...map.config, "platform:services": JSON.stringify(services) } };
}

async function main(): Promise<void> {
    const loadedMs = performance.now();
    const [stack = "dev", flag, value] = process.argv.slice(2);
    const count = flag === "--services" ? Number(value) : 0;
    let map = withScratchKubeconfig(stackConfig(stack));
    if (count > 0) map = withServices(map, count);

    // Counting is all the bench needs: the recorder keeps no inputs (see MockOptions.keepInputs).
    const registrations = await installMocks({ stack, keepInputs: false });
    let lastRegistrationMs = performance.now();
    let cpuMs = 0;
    const push = registrations.push.bind(registrations);
    registrations.push = (...items) => {
        lastRegistrationMs = performance.now();
        const cpu = process.cpuUsage();
        cpuMs = (cpu.user + cpu.system) / 1000;
        return push(...items);
    };
    pulumi.runtime.setAllConfig(map.config, map.secretKeys);
    let error: string | undefined;
    try {
        buildStack(loadStackConfig());
    } catch (err) {
        error = err instanceof Error ? err.message : String(err);
    }
    await settle(registrations);
    const result: EvalResult = {
        stack,
        services: count,
        loadedMs,
        lastRegistrationMs,
        cpuMs,
        registrations: registrations.length,
        maxRssKb: process.resourceUsage().maxRSS,
        error,
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
    // Pending mock promises must not keep a finished benchmark alive.
    process.exit(error === undefined ? 0 : 1);
}

if (require.main === module) void main();
