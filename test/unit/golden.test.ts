/**
 * Golden resource lists: every committed stack's registrations (type::name and parent type),
 * sorted. Type tokens and names are a public contract (a rename replaces live infrastructure),
 * so a change here must be deliberate: refresh with `npm run golden:update` and review the diff.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { runStack, withScratchKubeconfig } from "../../harness/runStack";
import { COMMITTED_STACKS } from "../../harness/committedStacks";
import { PROJECT_DIR, readStackFile } from "../../harness/stackFiles";
import type { Registration } from "../../harness/mocks";

/** The golden form of a run: one line per resource, sorted. */
export function goldenLines(registrations: readonly Registration[]): string[] {
    return registrations.map((r) => `${r.type}::${r.name}  (parent ${r.parentType})`).sort();
}

describe("golden resource lists", () => {
    for (const stack of COMMITTED_STACKS) {
        it(`${stack} registers exactly its golden list`, async () => {
            const run = await runStack(stack, withScratchKubeconfig(readStackFile(stack)));
            if (run.error) throw run.error;
            const actual = goldenLines(run.registrations).join("\n") + "\n";
            const file = path.join(PROJECT_DIR, "test", "golden", `${stack}.txt`);
            if (process.env.GOLDEN_UPDATE === "1") fs.writeFileSync(file, actual);
            assert.ok(fs.existsSync(file), `no golden list for ${stack}: run npm run golden:update and review it`);
            assert.strictEqual(
                actual,
                fs.readFileSync(file, "utf8"),
                `registrations of ${stack} changed: if intended, run npm run golden:update and commit the diff`,
            );
        });
    }
});
