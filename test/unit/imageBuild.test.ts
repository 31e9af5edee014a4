/**
 * The image builds each committed stack registers, under mocks: every image is tagged by its
 * build inputs, none builds on preview unless asked, and the registry cache is wired per target
 * (off on the embedded platform, whose BuildKit keeps its own cache; next to each image elsewhere).
 */
import * as assert from "assert";
import * as path from "path";
import { buildTag } from "../../components/image/buildTag";
import { contextHash } from "../../components/image/contextHash";
import { withServices } from "../../bench/evalStack";
import { COMMITTED_STACKS } from "../../harness/committedStacks";
import { PROJECT_DIR, readStackFile, StackConfigMap } from "../../harness/stackFiles";
import { list, ofType } from "./support/inspect";
import type { Registration } from "../../harness/mocks";
import { runStack, StackRun, withScratchKubeconfig } from "../../harness/runStack";

const IMAGE = "docker-build:index:Image";

/** The cache each committed stack builds with: the value that matters, per environment. */
const EXPECTED_CACHE: Readonly<Record<string, "registry" | "none">> = {
    dev: "none",
    staging: "registry",
    prod: "registry",
    swarm: "registry",
};

/** The stack file with `platform:build` keys changed. */
function withBuild(map: StackConfigMap, build: Record<string, unknown>): StackConfigMap {
    const current = map.config["platform:build"] === undefined ? {} : (JSON.parse(map.config["platform:build"]) as Record<string, unknown>);
    return { ...map, config: { ...map.config, "platform:build": JSON.stringify({ ...current, ...build }) } };
}

async function imagesOf(stack: string, map: StackConfigMap): Promise<Registration[]> {
    const run: StackRun = await runStack(stack, withScratchKubeconfig(map));
    if (run.error) throw run.error;
    const images = ofType(run.registrations, IMAGE);
    assert.ok(images.length > 0, `${stack} builds no image`);
    return images;
}

/** `registry/repo` and tag of an image's one tag. */
function tagOf(image: Registration): { repository: string; tag: string } {
    const tags = list(image.inputs.tags).map(String);
    assert.strictEqual(tags.length, 1, `${image.name}: ${tags.join(", ")}`);
    const at = tags[0].lastIndexOf(":");
    return { repository: tags[0].slice(0, at), tag: tags[0].slice(at + 1) };
}

describe("EXPECTED_CACHE covers every committed stack", () => {
    it("names each", () => {
        assert.deepStrictEqual(Object.keys(EXPECTED_CACHE).sort(), [...COMMITTED_STACKS].sort());
    });
});

for (const stack of COMMITTED_STACKS) {
    describe(`image builds on ${stack}`, () => {
        let images: Registration[];
        before(async () => {
            images = await imagesOf(stack, readStackFile(stack));
        });

        it("tags every image b-<16 hex> of its build inputs, pushed, and does not build on preview", () => {
            for (const image of images) {
                assert.match(tagOf(image).tag, /^b-[0-9a-f]{16}$/, image.name);
                assert.strictEqual(image.inputs.push, true, image.name);
                assert.strictEqual(image.inputs.buildOnPreview, false, image.name);
            }
        });

        it(`build cache: ${EXPECTED_CACHE[stack]}`, () => {
            for (const image of images) {
                const { repository } = tagOf(image);
                if (EXPECTED_CACHE[stack] === "none") {
                    assert.strictEqual(image.inputs.cacheFrom, undefined, image.name);
                    assert.strictEqual(image.inputs.cacheTo, undefined, image.name);
                } else {
                    const ref = `${repository}:buildcache`;
                    assert.deepStrictEqual(image.inputs.cacheFrom, [{ registry: { ref } }], image.name);
                    assert.deepStrictEqual(
                        image.inputs.cacheTo,
                        [{ registry: { ref, mode: "max", imageManifest: true, ociMediaTypes: true } }],
                        image.name,
                    );
                }
            }
        });
    });
}

describe("image build config", () => {
    it("build.buildOnPreview: true builds every image on preview", async () => {
        for (const image of await imagesOf("dev", withBuild(readStackFile("dev"), { buildOnPreview: true })))
            assert.strictEqual(image.inputs.buildOnPreview, true, image.name);
    });

    it("build.cache: none on staging drops the registry cache", async () => {
        for (const image of await imagesOf("staging", withBuild(readStackFile("staging"), { cache: "none" }))) {
            assert.strictEqual(image.inputs.cacheFrom, undefined, image.name);
            assert.strictEqual(image.inputs.cacheTo, undefined, image.name);
        }
    });

    it("changing build.debianImage re-tags the data images only; build.baseImage the services only; build.platform all", async () => {
        const dev = readStackFile("dev");
        const tags = async (map: StackConfigMap) => Object.fromEntries((await imagesOf("dev", map)).map((i) => [i.name, tagOf(i).tag]));
        const before = await tags(dev);
        const debian = await tags(withBuild(dev, { debianImage: "127.0.0.1:5000/base/debian:trixie" }));
        const node = await tags(withBuild(dev, { baseImage: "127.0.0.1:5000/base/node:22-bookworm" }));
        const arm = await tags(withBuild(dev, { platform: "linux/arm64" }));
        const dataImages = Object.keys(before).filter((n) => /^platform-(redis|postgres)-build$/.test(n));
        const serviceImages = Object.keys(before).filter((n) => !dataImages.includes(n));
        assert.deepStrictEqual(dataImages.sort(), ["platform-postgres-build", "platform-redis-build"]);
        assert.ok(serviceImages.length > 0);
        for (const name of dataImages) {
            assert.notStrictEqual(debian[name], before[name], `${name} kept its tag on another Debian base`);
            assert.strictEqual(node[name], before[name], `${name} re-tagged by the Node base it does not use`);
        }
        for (const name of serviceImages) {
            assert.strictEqual(debian[name], before[name], `${name} re-tagged by the Debian base it does not use`);
            assert.notStrictEqual(node[name], before[name], `${name} kept its tag on another Node base`);
        }
        for (const name of Object.keys(before)) assert.notStrictEqual(arm[name], before[name], `${name} kept its tag for another platform`);
    });

    it("services built from one context (hashed once) and the data images each carry their own context's hash", async () => {
        const images = await imagesOf("dev", withServices(readStackFile("dev"), 3));
        const expected = (image: Registration, context: string) =>
            buildTag({
                contextHash: contextHash(path.join(PROJECT_DIR, context), "Dockerfile"),
                dockerfile: "Dockerfile",
                buildArgs: image.inputs.buildArgs as Record<string, string>,
                platform: String(list(image.inputs.platforms)[0]),
            });
        const byName = new Map(images.map((i) => [i.name, i]));
        for (const name of ["svc-0000-build", "svc-0001-build", "svc-0002-build"]) {
            const image = byName.get(name);
            assert.ok(image, `no ${name} among ${[...byName.keys()].join(", ")}`);
            assert.strictEqual(tagOf(image).tag, expected(image, "app"), name);
        }
        for (const kind of ["postgres", "redis"]) {
            const image = byName.get(`platform-${kind}-build`);
            assert.ok(image, `no ${kind} image`);
            assert.strictEqual(tagOf(image).tag, expected(image, `images/${kind}`), kind);
        }
    });

    it("build.cache outside registry|none is refused at the edge with the key and the choices", async () => {
        const run = await runStack("dev", withScratchKubeconfig(withBuild(readStackFile("dev"), { cache: "s3" })));
        assert.ok(run.error, "accepted build.cache: s3");
        assert.match(run.error.message, /platform:build\.cache/);
        assert.match(run.error.message, /must be one of registry, none/);
        assert.strictEqual(run.registrations.length, 0);
    });
});
