/**
 * A throwaway platform for engine tests: a Kubernetes control plane with kwok nodes, a local
 * registry with locally made base images, and a BuildKit daemon the docker-build provider
 * builds with. Everything lives in one temp folder on loopback and is stopped in reverse
 * order, even when a test fails.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { must, REPO, run, seconds } from "./shell";

/** What a started harness offers a stack. */
export interface Harness {
    readonly dir: string;
    readonly kubeconfig: string;
    /** Context name inside the kubeconfig. */
    readonly context: string;
    /** host:port of the registry. */
    readonly registry: string;
    readonly nodeImage: string;
    readonly debianImage: string;
    /** DOCKER_CONFIG holding the buildx builder "platform". */
    readonly dockerConfig: string;
    readonly builder: string;
    stop(): Promise<void>;
}

/**
 * A committed stack's config pointed at a started harness: its kubeconfig, context and registry
 * in `platform:local`, its base images and builder in `platform:build` (every other key as
 * committed). The input is not changed.
 */
export function configOnHarness(config: Readonly<Record<string, unknown>>, h: Harness): Record<string, unknown> {
    const copy = structuredClone(config) as Record<string, unknown>;
    copy["platform:local"] = { ...(copy["platform:local"] as object), kubeconfig: h.kubeconfig, context: h.context, registry: h.registry };
    copy["platform:build"] = {
        ...(copy["platform:build"] as object),
        baseImage: h.nodeImage,
        debianImage: h.debianImage,
        builder: h.builder,
    };
    return copy;
}

function script(name: string): string {
    return path.join(REPO, "platform", name);
}

async function freePort(): Promise<number> {
    const net = await import("net");
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.listen(0, "127.0.0.1", () => {
            const address = server.address();
            server.close(() => {
                if (address && typeof address === "object") resolve(address.port);
                else reject(new Error("no port"));
            });
        });
    });
}

function valueOf(output: string, name: string): string {
    const line = output.split("\n").find((l) => l.startsWith(`${name}=`));
    if (!line) throw new Error(`no ${name}= in:\n${output}`);
    return line.slice(name.length + 1).trim();
}

/** Starts the harness; `log` receives progress lines. */
export async function startHarness(log: (line: string) => void): Promise<Harness> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "platform-e2e-"));
    const stops: (() => Promise<unknown>)[] = [];
    const stop = async () => {
        for (const s of stops.reverse()) await s();
    };
    try {
        let t = Date.now();
        stops.push(() => run(script("controlplane.sh"), ["stop", path.join(dir, "cp")]));
        const kubeconfig = (await must(script("controlplane.sh"), ["start", path.join(dir, "cp")])).trim().split("\n").pop() ?? "";
        log(`control plane ready (${seconds(Date.now() - t)})`);

        t = Date.now();
        const port = await freePort();
        stops.push(() => run(script("registry.sh"), ["stop", path.join(dir, "registry")]));
        const registry = (await must(script("registry.sh"), ["start", path.join(dir, "registry"), String(port)])).trim();
        stops.push(() => run(script("docker.sh"), ["stop", path.join(dir, "docker")]));
        const dockerHost = (await must(script("docker.sh"), ["start", path.join(dir, "docker")])).trim();
        const bases = await must(script("base-images.sh"), [registry], { env: { ...process.env, DOCKER_HOST: dockerHost } });
        // The engine was needed only to import and push the bases.
        await run(script("docker.sh"), ["stop", path.join(dir, "docker")]);
        log(`registry ${registry} with base images (${seconds(Date.now() - t)})`);

        t = Date.now();
        stops.push(() => run(script("buildkit.sh"), ["stop", path.join(dir, "buildkit")]));
        const builder = await must(script("buildkit.sh"), ["start", path.join(dir, "buildkit"), registry]);
        log(`buildkitd ready (${seconds(Date.now() - t)})`);
        return {
            dir,
            kubeconfig,
            context: "local",
            registry,
            nodeImage: valueOf(bases, "NODE_IMAGE"),
            debianImage: valueOf(bases, "DEBIAN_IMAGE"),
            dockerConfig: valueOf(builder, "DOCKER_CONFIG"),
            builder: valueOf(builder, "BUILDER"),
            stop,
        };
    } catch (err) {
        await stop();
        throw err;
    }
}
