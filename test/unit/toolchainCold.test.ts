/**
 * A new machine has no Go module cache. The toolchain's steps that read files out of downloaded
 * modules (the Kubernetes provider's schema and Terraform mapping, kwok's Stage YAMLs, the VPA's
 * CRDs, the Terraform random provider's docs, which the random provider's generated schema is
 * written from) must download those modules first; a machine whose cache already held them hid
 * that they did not.
 * `tools/toolchain.sh sources` runs exactly those steps, without compiling, so this test runs
 * them against empty GOMODCACHE, GOCACHE and PLATFORM_CACHE folders: a few module downloads.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PROJECT_DIR } from "../../harness/stackFiles";

describe("toolchain from empty caches (tools/toolchain.sh sources)", function () {
    // Downloads ~40 MB of modules from the module proxy; seconds here, a minute at worst.
    this.timeout(180_000);
    let scratch: string;

    before(() => {
        scratch = fs.mkdtempSync(path.join(os.tmpdir(), "toolchain-cold-"));
    });

    after(() => {
        // The module cache is read-only by design; make it removable first.
        spawnSync("chmod", ["-R", "u+w", scratch]);
        fs.rmSync(scratch, { recursive: true, force: true });
    });

    it("reads the provider schema, kwok's stages, the VPA CRDs and the random provider's docs after downloading them, compiling nothing", () => {
        const env = {
            ...process.env,
            GOMODCACHE: path.join(scratch, "mod"),
            GOCACHE: path.join(scratch, "build"),
            PLATFORM_CACHE: path.join(scratch, "platform"),
        };
        const run = spawnSync("bash", [path.join(PROJECT_DIR, "tools", "toolchain.sh"), "sources"], {
            cwd: PROJECT_DIR,
            env,
            encoding: "utf8",
        });
        assert.strictEqual(run.status, 0, `toolchain.sh sources failed:\n${run.stdout}\n${run.stderr}`);
        assert.match(run.stdout, /sources: 5 kwok stages, 2 VPA CRDs, \d{7,} bytes of provider schema, 10 random provider docs/);

        const embedded = path.join(PROJECT_DIR, "tools", "go", "pulumi-kubernetes", "embed", "schema.json");
        const schema = JSON.parse(fs.readFileSync(embedded, "utf8")) as { name: string; version: string };
        assert.deepStrictEqual({ name: schema.name, version: schema.version }, { name: "kubernetes", version: "4.25.0" });

        // The modules came from the empty cache given, not from the machine's own.
        const downloaded = path.join(scratch, "mod", "cache", "download");
        assert.ok(fs.existsSync(path.join(downloaded, "sigs.k8s.io", "kwok")), "kwok was not downloaded into GOMODCACHE");
        assert.ok(fs.existsSync(path.join(downloaded, "github.com", "pulumi", "pulumi-kubernetes", "provider")));
        assert.ok(fs.existsSync(path.join(downloaded, "k8s.io", "autoscaler", "vertical-pod-autoscaler")), "vpa was not downloaded");
        assert.ok(
            fs.existsSync(path.join(downloaded, "github.com", "terraform-providers", "terraform-provider-random")),
            "the Terraform random provider was not downloaded",
        );
        // Nothing was compiled: the build cache holds no compiled package.
        const built = fs.existsSync(path.join(scratch, "build")) ? fs.readdirSync(path.join(scratch, "build")) : [];
        assert.ok(built.filter((entry) => /^[0-9a-f]{2}$/.test(entry)).length === 0, "GOCACHE holds compiled output");
    });
});
