/**
 * `npm run compare -- --env <stack> [--out <file>]`: evaluates the stack's app on every target
 * under mocks, prints the Markdown table and writes the HTML page (default compare/out/report.html).
 * Exits 1 when a target failed or used an unpriced item, 2 on bad arguments.
 */
import * as fs from "fs";
import * as path from "path";
import { PROJECT_DIR } from "../harness/stackFiles";
import { evaluate } from "./evaluate";
import { renderHtml } from "./render/html";
import { renderMarkdown } from "./render/markdown";
import { hasErrors } from "./report";

/** Parsed command line. */
export interface CliArgs {
    readonly env: string;
    readonly out: string;
}

/** Parses `--env <stack>` (required) and `--out <file>`; throws a usage message on anything else. */
export function parseArgs(argv: readonly string[]): CliArgs {
    let env: string | undefined;
    let out = path.join(PROJECT_DIR, "compare", "out", "report.html");
    for (let i = 0; i < argv.length; i++) {
        const value = argv[i + 1];
        if (argv[i] === "--env" && value !== undefined) env = value;
        else if (argv[i] === "--out" && value !== undefined) out = path.resolve(value);
        else throw new Error(`unknown argument ${argv[i]}; usage: npm run compare -- --env <stack> [--out <file>]`);
        i++;
    }
    if (env === undefined) throw new Error("missing --env <stack>; usage: npm run compare -- --env prod");
    if (!fs.existsSync(path.join(PROJECT_DIR, `Pulumi.${env}.yaml`))) throw new Error(`no Pulumi.${env}.yaml in ${PROJECT_DIR}`);
    return { env, out };
}

async function main(): Promise<number> {
    let args: CliArgs;
    try {
        args = parseArgs(process.argv.slice(2));
    } catch (err) {
        process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
        return 2;
    }
    const report = await evaluate(args.env);
    process.stdout.write(renderMarkdown(report));
    fs.mkdirSync(path.dirname(args.out), { recursive: true });
    fs.writeFileSync(args.out, renderHtml(report));
    process.stdout.write(`\nHTML report: ${args.out}\n`);
    return hasErrors(report) ? 1 : 0;
}

if (require.main === module) {
    main().then(
        (code) => process.exit(code),
        (err: unknown) => {
            process.stderr.write(`error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
            process.exit(1);
        },
    );
}
