/**
 * A stand-in for the docker-build resource provider in the swarm e2e test: the real one
 * cannot be built from the Go module proxy here (see tools/README.md), so this plugin serves
 * `docker-build:index:Image` by running `docker build` (the engine's classic builder, host
 * network, since the test's engine has no bridge) and `docker push`, and reports the pushed
 * digest. Only what AppImage uses is implemented. Run as a resource plugin:
 *
 *   node bin/test/e2e/support/swarmDockerBuild.js   (the engine passes its address)
 */
import { execFile } from "child_process";
import * as fs from "fs";
import * as provider from "@pulumi/pulumi/provider";

interface ImageInputs {
    readonly context?: { readonly location?: string };
    readonly dockerfile?: { readonly location?: string };
    readonly buildArgs?: Record<string, string>;
    readonly tags?: string[];
    readonly push?: boolean;
}

function run(args: readonly string[]): Promise<string> {
    return new Promise((resolve, reject) => {
        execFile(
            "docker",
            args,
            { env: { ...process.env, DOCKER_BUILDKIT: "0" }, maxBuffer: 64 * 1024 * 1024 },
            (error, stdout, stderr) => {
                if (error)
                    reject(new Error(`docker ${args.slice(0, 2).join(" ")} failed: ${error.message}\n${(stdout + stderr).slice(-4000)}`));
                else resolve(stdout);
            },
        );
    });
}

/** Builds, pushes and returns the outputs the real provider would (the digest is what AppImage reads). */
async function buildAndPush(inputs: ImageInputs): Promise<Record<string, unknown>> {
    // The test's project folder links to the repository's; docker wants the real folder.
    const contextDir = inputs.context?.location === undefined ? undefined : fs.realpathSync(inputs.context.location);
    const tags = inputs.tags ?? [];
    if (!contextDir || tags.length === 0) throw new Error("docker-build stand-in: context.location and at least one tag are required");
    const args = ["build", "--network", "host", "--quiet"];
    if (inputs.dockerfile?.location) args.push("--file", fs.realpathSync(inputs.dockerfile.location));
    for (const [key, value] of Object.entries(inputs.buildArgs ?? {})) args.push("--build-arg", `${key}=${value}`);
    for (const tag of tags) args.push("--tag", tag);
    args.push(contextDir);
    await run(args);
    let digest = "";
    if (inputs.push) {
        for (const tag of tags) await run(["push", "--quiet", tag]);
        const repoDigests = JSON.parse(await run(["image", "inspect", "--format", "{{json .RepoDigests}}", tags[0]])) as string[];
        const repository = tags[0].slice(0, tags[0].lastIndexOf(":"));
        const pinned = repoDigests.find((d) => d.startsWith(`${repository}@`));
        if (!pinned) throw new Error(`docker-build stand-in: no digest for ${repository} after push (${repoDigests.join(", ")})`);
        digest = pinned.slice(pinned.indexOf("@") + 1);
    }
    return { ...inputs, digest, ref: digest === "" ? tags[0] : `${tags[0].slice(0, tags[0].lastIndexOf(":"))}@${digest}` };
}

function comparable(value: Record<string, unknown>): string {
    const { context, dockerfile, buildArgs, tags, push } = value;
    return JSON.stringify({ context, dockerfile, buildArgs, tags, push });
}

const imageProvider: provider.Provider = {
    version: "0.0.22",
    check(_urn, _olds, news) {
        return Promise.resolve({ inputs: news as Record<string, unknown> });
    },
    diff(_id, _urn, olds, news) {
        return Promise.resolve({ changes: comparable(olds as Record<string, unknown>) !== comparable(news as Record<string, unknown>) });
    },
    async create(urn, inputs) {
        const outs = await buildAndPush(inputs as ImageInputs);
        return { id: `${urn.split("::").pop() ?? "image"}-${String(outs.digest).slice(7, 19)}`, outs };
    },
    async update(_id, _urn, _olds, news) {
        return { outs: await buildAndPush(news as ImageInputs) };
    },
    read(id, _urn, props) {
        return Promise.resolve({ id, props: props as Record<string, unknown> });
    },
    delete() {
        // Like the real provider: pushed images stay in the registry.
        return Promise.resolve();
    },
};

void provider.main(imageProvider, process.argv.slice(2));
