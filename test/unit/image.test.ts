/** The build-context hash (what Docker would send, nothing else, stable) and the image tag over every build input. */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { buildTag, type BuildInputs } from "../../components/image/buildTag";
import { contextHash } from "../../components/image/contextHash";
import { BUILD_CACHE_TAG, IMAGE_TAG_PREFIX } from "../../model/images";
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
});

describe("image tag", () => {
    const base: BuildInputs = {
        contextHash: "a".repeat(64),
        dockerfile: "Dockerfile",
        buildArgs: { NODE_IMAGE: "node:20-bookworm-slim" },
        platform: "linux/amd64",
    };

    it("is the same for the same inputs, whatever the order of the build args", () => {
        const two = { ...base, buildArgs: { A: "1", NODE_IMAGE: "node:20-bookworm-slim" } };
        assert.strictEqual(buildTag(two), buildTag({ ...two, buildArgs: { NODE_IMAGE: "node:20-bookworm-slim", A: "1" } }));
        assert.strictEqual(buildTag(base), buildTag({ ...base }));
    });

    const changes: [string, BuildInputs][] = [
        ["the base image (build.baseImage, as NODE_IMAGE)", { ...base, buildArgs: { NODE_IMAGE: "node:22-bookworm-slim" } }],
        ["the base image pinned by digest", { ...base, buildArgs: { NODE_IMAGE: `node:20-bookworm-slim@sha256:${"1".repeat(64)}` } }],
        ["another build arg", { ...base, buildArgs: { ...base.buildArgs, EXTRA: "" } }],
        ["the platform (build.platform)", { ...base, platform: "linux/arm64" }],
        ["the Dockerfile path", { ...base, dockerfile: "Dockerfile.prod" }],
        ["the context", { ...base, contextHash: "b".repeat(64) }],
    ];
    for (const [what, changed] of changes) {
        it(`changes with ${what}`, () => {
            assert.notStrictEqual(buildTag(changed), buildTag(base));
        });
    }
    // Length-prefixed fields: moving a character from a key to its value is another input.
    it("tells AB=c from A=Bc", () => {
        assert.notStrictEqual(buildTag({ ...base, buildArgs: { AB: "c" } }), buildTag({ ...base, buildArgs: { A: "Bc" } }));
    });

    it("a base-image change on a real context gives a new tag; the same context and inputs give the same one", () => {
        const hash = contextHash(scratchContext({ Dockerfile: "ARG NODE_IMAGE\nFROM ${NODE_IMAGE}\n", "src/a.ts": "a" }));
        const inputs = { ...base, contextHash: hash };
        assert.strictEqual(
            buildTag(inputs),
            buildTag({
                ...inputs,
                contextHash: contextHash(scratchContext({ Dockerfile: "ARG NODE_IMAGE\nFROM ${NODE_IMAGE}\n", "src/a.ts": "a" })),
            }),
        );
        assert.notStrictEqual(buildTag({ ...inputs, buildArgs: { NODE_IMAGE: "node:22-bookworm-slim" } }), buildTag(inputs));
    });

    it("is a readable, valid Docker tag that the ECR lifecycle pattern (b-*) selects and the cache tag is not", () => {
        assert.match(buildTag(base), /^b-[0-9a-f]{16}$/);
        assert.match(buildTag(base), /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/);
        assert.ok(buildTag(base).startsWith(IMAGE_TAG_PREFIX));
        assert.ok(!BUILD_CACHE_TAG.startsWith(IMAGE_TAG_PREFIX), `${BUILD_CACHE_TAG} would be expired as an image`);
    });
});
