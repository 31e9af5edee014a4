/**
 * The HTML report renders in headless Chromium. The screenshot is kept under
 * test-artifacts/compare/ (gitignored) for a human to look at.
 */
import * as assert from "assert";
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as zlib from "zlib";
import { evaluate } from "../../compare/evaluate";
import { renderHtml } from "../../compare/render/html";
import { PROJECT_DIR } from "../../harness/stackFiles";

const ARTIFACTS = path.join(PROJECT_DIR, "test-artifacts", "compare");

function onPath(command: string): boolean {
    return spawnSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" }).status === 0;
}

/** Chromium's path; installs Debian's package when missing and we are root with apt-get, else undefined. */
function ensureChromium(): string | undefined {
    if (onPath("chromium")) return "chromium";
    if (process.getuid?.() !== 0 || !onPath("apt-get")) return undefined;
    const install = spawnSync("sh", ["-c", "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium"], {
        stdio: "ignore",
        timeout: 900000,
    });
    return install.status === 0 && onPath("chromium") ? "chromium" : undefined;
}

/** Decoded 8-bit RGB or RGBA pixels of a non-interlaced PNG (what Chromium writes). */
function pngPixels(png: Buffer): { width: number; height: number; channels: number; data: Buffer } {
    assert.strictEqual(png.subarray(1, 4).toString("latin1"), "PNG");
    let offset = 8;
    let width = 0;
    let height = 0;
    let channels = 0;
    const idat: Buffer[] = [];
    while (offset < png.length) {
        const length = png.readUInt32BE(offset);
        const type = png.subarray(offset + 4, offset + 8).toString("latin1");
        const body = png.subarray(offset + 8, offset + 8 + length);
        if (type === "IHDR") {
            width = body.readUInt32BE(0);
            height = body.readUInt32BE(4);
            assert.strictEqual(body[8], 8, "bit depth");
            assert.strictEqual(body[12], 0, "interlace");
            channels = body[9] === 6 ? 4 : body[9] === 2 ? 3 : 0;
            assert.ok(channels > 0, `colour type ${body[9]}`);
        } else if (type === "IDAT") idat.push(body);
        offset += 12 + length;
    }
    const raw = zlib.inflateSync(Buffer.concat(idat));
    const stride = width * channels;
    const data = Buffer.alloc(stride * height);
    for (let y = 0; y < height; y++) {
        const filter = raw[y * (stride + 1)];
        for (let x = 0; x < stride; x++) {
            const byte = raw[y * (stride + 1) + 1 + x];
            const left = x >= channels ? data[y * stride + x - channels] : 0;
            const up = y > 0 ? data[(y - 1) * stride + x] : 0;
            const upLeft = x >= channels && y > 0 ? data[(y - 1) * stride + x - channels] : 0;
            let predictor = 0;
            if (filter === 1) predictor = left;
            else if (filter === 2) predictor = up;
            else if (filter === 3) predictor = (left + up) >> 1;
            else if (filter === 4) {
                const p = left + up - upLeft;
                const [pa, pb, pc] = [Math.abs(p - left), Math.abs(p - up), Math.abs(p - upLeft)];
                predictor = pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
            }
            data[y * stride + x] = (byte + predictor) & 0xff;
        }
    }
    return { width, height, channels, data };
}

function distinctColours(png: Buffer): number {
    const { data, channels } = pngPixels(png);
    const seen = new Set<number>();
    for (let i = 0; i < data.length && seen.size < 64; i += channels) seen.add(data.readUIntBE(i, 3));
    return seen.size;
}

describe("compare HTML report", function () {
    this.timeout(900000);
    let html: string;

    before(async () => {
        html = renderHtml(await evaluate("prod", undefined, {}));
    });

    it("is self-contained: no scripts, no external stylesheets, images or fonts", () => {
        assert.doesNotMatch(html, /<script|<link|<img|<iframe|@import|url\(/i);
        assert.strictEqual((html.match(/<svg /g) ?? []).length, 3);
    });

    it("renders in headless Chromium to a non-trivial screenshot (test-artifacts/compare/report.png)", function () {
        const chromium = ensureChromium();
        if (!chromium) {
            this.skip();
            return;
        }
        fs.mkdirSync(ARTIFACTS, { recursive: true });
        const page = path.join(ARTIFACTS, "report.html");
        const shot = path.join(ARTIFACTS, "report.png");
        fs.rmSync(shot, { force: true });
        fs.writeFileSync(page, html);
        execFileSync(
            chromium,
            ["--headless", "--no-sandbox", "--disable-gpu", `--screenshot=${shot}`, "--window-size=1280,1600", `file://${page}`],
            { stdio: "ignore", timeout: 120000 },
        );
        assert.ok(fs.existsSync(shot), "no screenshot written");
        const png = fs.readFileSync(shot);
        assert.ok(png.length > 20000, `screenshot is only ${png.length} bytes`);
        const { width, height } = pngPixels(png);
        assert.deepStrictEqual([width, height], [1280, 1600]);
        assert.ok(distinctColours(png) > 8, "screenshot is (nearly) one colour");
    });
});
