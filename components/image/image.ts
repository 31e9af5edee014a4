/**
 * Builds a service's image from its Dockerfile and pushes it to the platform's registry.
 * The tag is derived from every build input (buildTag.ts), and workloads get the digest-pinned
 * reference, so unchanged inputs mean no rebuild, no push and no diff. A preview does not build
 * by default: the changed tag already shows the image will change, and the workloads' digest is
 * unknown until `pulumi up` builds it.
 */
import * as dockerBuild from "@pulumi/docker-build";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { BUILD_CACHE_TAG, type BuildCache } from "../../model/images";
import type { RegistryAuth } from "../cluster/platform";
import { buildTag } from "./buildTag";

/** Arguments of {@link AppImage}. */
export interface AppImageArgs {
    /** Absolute path of the build context. */
    readonly contextDir: string;
    /**
     * The context's content hash (contextHash.ts, of contextDir and dockerfile), from the
     * caller: images built from one context hash it once (stacks/images.ts).
     */
    readonly contextHash: string;
    /** Dockerfile path relative to the context. Default "Dockerfile". */
    readonly dockerfile?: string;
    /** Repository the image is pushed to (no tag). */
    readonly repository: pulumi.Input<string>;
    /** Push credentials; omit for a registry that takes anonymous pushes. */
    readonly auth?: pulumi.Input<RegistryAuth>;
    /** Build arguments, e.g. the base image (NODE_IMAGE). Default none. */
    readonly buildArgs?: Readonly<Record<string, string>>;
    /** Target platform. Default linux/amd64. */
    readonly platform?: string;
    /** buildx builder to build with; undefined lets the provider create its own. */
    readonly builder?: string;
    /** Network of RUN steps. Default "default" (the engine's sandbox). */
    readonly network?: "default" | "host";
    /**
     * Build cache: "registry" reads and writes `<repository>:buildcache` (all layers, OCI
     * manifest, which ECR, ACR and the distribution registry accept), so a fresh CI runner
     * reuses the last build's layers; "none" keeps only the builder's own cache. Default "none".
     */
    readonly cache?: BuildCache;
    /** Build during `pulumi preview` too (catches a broken build in a PR, at a build per preview). Default false. */
    readonly buildOnPreview?: boolean;
    /** The docker-build provider (its `host` says which engine builds). */
    readonly provider: dockerBuild.Provider;
}

/**
 * `<repository><suffix>`: a plain string when the repository is one (local and Swarm registries),
 * an Output only when it is not yet known (a cloud registry's).
 */
function reference(repository: pulumi.Input<string>, suffix: string): pulumi.Input<string> {
    return typeof repository === "string" ? `${repository}${suffix}` : pulumi.interpolate`${repository}${suffix}`;
}

/** A built and pushed container image. */
export class AppImage extends pulumi.ComponentResource {
    /** `<repository>@sha256:…`: immutable, what workloads run. */
    public readonly ref: pulumi.Output<string>;
    /** The build-input-derived tag that was pushed. */
    public readonly tag: string;

    constructor(name: string, args: AppImageArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:image:AppImage", name, {}, opts);
        const dockerfile = args.dockerfile ?? "Dockerfile";
        const platform = args.platform ?? "linux/amd64";
        const buildArgs = { ...args.buildArgs };
        this.tag = buildTag({ contextHash: args.contextHash, dockerfile, buildArgs, platform });
        const auth = args.auth === undefined ? undefined : pulumi.output(args.auth);
        // The cache reference only when the registry cache is on: an Output nobody reads still costs
        // its promise chain (~20 KB per image while the stack registers, bench/README.md scale).
        const cacheRef = (args.cache ?? "none") === "registry" ? reference(args.repository, `:${BUILD_CACHE_TAG}`) : undefined;
        const image = new dockerBuild.Image(
            `${name}-build`,
            {
                context: { location: args.contextDir },
                dockerfile: { location: path.join(args.contextDir, dockerfile) },
                buildArgs,
                platforms: [platform as dockerBuild.Platform],
                tags: [reference(args.repository, `:${this.tag}`)],
                push: true,
                buildOnPreview: args.buildOnPreview ?? false,
                cacheFrom: cacheRef ? [{ registry: { ref: cacheRef } }] : undefined,
                cacheTo: cacheRef
                    ? [{ registry: { ref: cacheRef, mode: dockerBuild.CacheMode.Max, imageManifest: true, ociMediaTypes: true } }]
                    : undefined,
                network: args.network ?? "default",
                builder: args.builder === undefined ? undefined : { name: args.builder },
                registries:
                    auth === undefined
                        ? undefined
                        : [{ address: auth.address, username: auth.username, password: pulumi.secret(auth.password) }],
            },
            { parent: this, provider: args.provider },
        );
        this.ref = pulumi.interpolate`${args.repository}@${image.digest}`;
        this.registerOutputs({ ref: this.ref });
    }
}
