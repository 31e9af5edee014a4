/**
 * The committed stacks (Pulumi.<stack>.yaml files git tracks), read once when this module loads.
 * A module of its own so that what only reads a stack file (the bench's evaluation runner) does
 * not start `git` on load: the program under test never would.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import { PROJECT_DIR } from "./stackFiles";

/** Stack files in the project folder: the ones git tracks (a tool run may leave others behind). */
function stackFileNames(): string[] {
    try {
        return execFileSync("git", ["ls-files", "Pulumi.*.yaml"], { cwd: PROJECT_DIR, encoding: "utf8" }).split("\n").filter(Boolean);
    } catch {
        return fs.readdirSync(PROJECT_DIR);
    }
}

/** The committed stacks, by name. */
export const COMMITTED_STACKS = stackFileNames()
    .map((file) => /^Pulumi\.([a-z0-9-]+)\.yaml$/.exec(file)?.[1])
    .filter((name): name is string => name !== undefined)
    .sort();
