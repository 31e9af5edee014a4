/**
 * The config reference in README.md is generated from the zod schemas: every key is documented,
 * every rule is stated, and the committed table is exactly what the generator prints.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { configReference, renderReference, withReference } from "../../scripts/configReference";
import { configKeysSchema } from "../../stacks/schema";
import { PROJECT_DIR } from "../../harness/stackFiles";

describe("config reference", () => {
    const rows = configReference();

    it("gives every key a meaning and a stated rule", () => {
        const noMeaning = rows.filter((row) => row.meaning.trim() === "").map((row) => row.key);
        assert.deepStrictEqual(noMeaning, [], "keys without .describe() in their schema");
        const noRule = rows.filter((row) => row.valid.trim() === "" || row.valid === "see description").map((row) => row.key);
        assert.deepStrictEqual(noRule, [], "keys whose base type has no 'must …' error message");
    });

    it("matches the table committed in README.md (regenerate: npm run docs:config)", () => {
        const readme = fs.readFileSync(path.join(PROJECT_DIR, "README.md"), "utf8");
        assert.ok(withReference(readme, renderReference(rows)) === readme, "README.md config reference is stale: run npm run docs:config");
    });

    it("documents every top-level key", () => {
        const keys = rows.map((row) => row.key);
        const missing = Object.keys(configKeysSchema.shape).filter((top) => {
            const key = `platform:${top}`;
            return !keys.some((k) => k === key || k.startsWith(`${key}.`) || k.startsWith(`${key}[]`));
        });
        assert.deepStrictEqual(missing, []);
    });
});
