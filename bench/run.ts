/**
 * `npm run bench [-- --only eval,tsc,scale,engine,suites|suites-e2e|loop] [--runs N] [--baseline DIR]`: prints the
 * benchmark tables. Benchmarks print; they never fail on a goal (exit 1 only when one cannot run).
 */
import { engineBench } from "./engineBench";
import { evalBench } from "./evalBench";
import { loopBench } from "./loopBench";
import { describeMachine } from "./machine";
import { scaleBench } from "./scaleBench";
import { parseArgs, Section } from "./stats";
import { suitesBench, tscBench } from "./toolBench";

function log(line: string): void {
    process.stderr.write(`  [bench] ${line}\n`);
}

async function main(): Promise<void> {
    const args = parseArgs(process.argv.slice(2));
    console.log(describeMachine().join("\n"));
    // 1000 services run for minutes on a busy 2-core machine: at most 3 runs per count.
    const sections: Record<Section, () => Promise<string>> = {
        eval: () => evalBench(args.runs, log, args.baseline),
        tsc: () => tscBench(args.runs, log),
        scale: () => scaleBench(Math.min(args.runs, 3), log),
        engine: () => engineBench(args.runs, log),
        suites: () => suitesBench(args.runs, false, log),
        "suites-e2e": () => suitesBench(1, true, log),
        loop: () => loopBench(Math.min(args.runs, 3), log),
    };
    let failed = false;
    for (const section of args.only) {
        try {
            console.log(`\n## ${section}\n\n${await sections[section]()}`);
        } catch (err) {
            failed = true;
            console.log(`\n## ${section}\n\nFAILED to run: ${err instanceof Error ? err.message : String(err)}`);
        }
    }
    process.exitCode = failed ? 1 : 0;
}

void main();
