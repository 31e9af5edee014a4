/**
 * Builds a service's image from its Dockerfile and pushes it to the platform's registry.
 * The tag is derived from the build context's content, and workloads get the digest-pinned
 * reference, so an unchanged context means no rebuild, no push and no diff.
 */
import * as dockerBuild from "@pulumi/docker-build";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import type { RegistryAuth } from "../cluster/platform";
import { contextHash, contextTag } from "./contextHash";

/** Arguments of {@link AppImage}. */
export interface AppImageArgs {
    /** Absolute path of the build context. */
    readonly contextDir: string;
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
    /** The docker-build provider (its `host` says which engine builds). */
    readonly provider: dockerBuild.Provider;
}

/** A built and pushed container image. */
export class AppImage extends pulumi.ComponentResource {
    /** `<repository>@sha256:…`: immutable, what workloads run. */
    public readonly ref: pulumi.Output<string>;
    /** The content-derived tag that was pushed. */
    public readonly tag: string;

    constructor(name: string, args: AppImageArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:image:AppImage", name, {}, opts);
        const dockerfile = args.dockerfile ?? "Dockerfile";
        this.tag = contextTag(contextHash(args.contextDir, dockerfile));
        const auth = args.auth === undefined ? undefined : pulumi.output(args.auth);
        const image = new dockerBuild.Image(
            `${name}-build`,
            {
                context: { location: args.contextDir },
                dockerfile: { location: path.join(args.contextDir, dockerfile) },
                buildArgs: { ...args.buildArgs },
                platforms: [(args.platform ?? "linux/amd64") as dockerBuild.Platform],
                tags: [pulumi.interpolate`${args.repository}:${this.tag}`],
                push: true,
                network: args.network ?? "default",
                builder: args.builder === undefined ? undefined : { name: args.builder },
                registries: auth === undefined ? undefined : [{ address: auth.address, username: auth.username, password: pulumi.secret(auth.password) }],
            },
            { parent: this, provider: args.provider },
        );
        this.ref = pulumi.interpolate`${args.repository}@${image.digest}`;
        this.registerOutputs({ ref: this.ref });
    }
}
