/** The build-context hash: what Docker would send, nothing else, and stable. */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { contextHash, contextTag } from "../../components/image/contextHash";
import { isIgnored, parseDockerignore } from "../../components/image/dockerignore";

function scratchContext(files: Record<string, string>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ctx-"));
    for (const [rel, content] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
        fs.writeFileSync(path.join(dir, rel), content);
    }
    return dir;
}

describe("dockerignore", () => {
    const rules = parseDockerignore("# comment\nnode_modules\n**/*.log\ndist/\n!dist/keep.txt\n/test\n*.md\n!README.md\n");
    const table: [string, boolean][] = [
        ["node_modules", true],
        ["node_modules/pg/index.js", true],
        ["src/app.log", true],
        ["app.log", true],
        ["dist/main.js", true],
        ["dist/keep.txt", false],
        ["test/a.test.ts", true],
        ["src/test/a.ts", false],
        ["CHANGELOG.md", true],
        ["README.md", false],
        ["docs/x.md", false],
        ["src/main.ts", false],
    ];
    for (const [file, ignored] of table) {
        it(`${ignored ? "ignores" : "keeps"} ${file}`, () => {
            assert.strictEqual(isIgnored(file, rules), ignored);
        });
    }
});

describe("context hash", () => {
    it("is stable for the same content and changes with any sent file", () => {
        const files = { Dockerfile: "FROM x\n", "src/a.ts": "a", ".dockerignore": "*.log\n" };
        const first = contextHash(scratchContext(files));
        assert.strictEqual(contextHash(scratchContext(files)), first);
        assert.notStrictEqual(contextHash(scratchContext({ ...files, "src/a.ts": "b" })), first);
        assert.notStrictEqual(contextHash(scratchContext({ ...files, "src/b.ts": "" })), first);
    });

    it("ignores files .dockerignore excludes", () => {
        const files = { Dockerfile: "FROM x\n", "src/a.ts": "a", ".dockerignore": "*.log\nnode_modules\n" };
        const base = contextHash(scratchContext(files));
        assert.strictEqual(contextHash(scratchContext({ ...files, "debug.log": "noise", "node_modules/x/index.js": "1" })), base);
    });

    it("always includes the Dockerfile even when ignored", () => {
        const files = { Dockerfile: "FROM x\n", ".dockerignore": "Dockerfile\n" };
        assert.notStrictEqual(contextHash(scratchContext({ ...files, Dockerfile: "FROM y\n" })), contextHash(scratchContext(files)));
    });

    it("gives a readable, valid Docker tag", () => {
        assert.match(contextTag("a".repeat(64)), /^ctx-a{16}$/);
        assert.match(contextTag(contextHash(scratchContext({ Dockerfile: "FROM x" }))), /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/);
    });
});
