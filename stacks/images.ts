/** Builds the plan's images into the platform's registry, grouped by what they are for. */
import * as dockerBuild from "@pulumi/docker-build";
import type * as pulumi from "@pulumi/pulumi";
import type { Platform } from "../components/cluster/platform";
import { contextHash } from "../components/image/contextHash";
import { AppImage } from "../components/image/image";
import type { BuildSettings } from "../model/app";
import type { DataKind } from "../model/names";
import type { StackPlan } from "./plan";

/** The digest-pinned references of the built images. */
export interface BuiltImages {
    /** Each service's image, by service name (the stack's `images` output). */
    readonly services: Readonly<Record<string, pulumi.Output<string>>>;
    /** The in-platform data services' images. */
    readonly data: Readonly<Partial<Record<DataKind, pulumi.Output<string>>>>;
    /** The Swarm proxy's image, when the plan routes through it. */
    readonly proxy?: pulumi.Output<string>;
}

function repositoryOf(platform: Platform, image: string): pulumi.Input<string> {
    const repository = platform.registry.repositories[image];
    if (repository === undefined) throw new Error(`platform ${platform.cloud} made no repository for image ${image}`);
    return repository;
}

/**
 * Builds every image of the plan with one builder, pushing each to its repository on the platform.
 * A context that several images share (services built from one folder) is hashed once.
 */
export function buildImages(plan: StackPlan, platform: Platform, build: BuildSettings): BuiltImages {
    const builder = new dockerBuild.Provider("image-builder", { host: build.dockerHost === "" ? undefined : build.dockerHost });
    const services: Record<string, pulumi.Output<string>> = {};
    const data: Partial<Record<DataKind, pulumi.Output<string>>> = {};
    let proxy: pulumi.Output<string> | undefined;
    const hashes = new Map<string, string>();
    for (const image of plan.images) {
        const hashKey = `${image.contextDir}\0${image.dockerfile}`;
        let hash = hashes.get(hashKey);
        if (hash === undefined) {
            hash = contextHash(image.contextDir, image.dockerfile);
            hashes.set(hashKey, hash);
        }
        const ref = new AppImage(image.name, {
            contextDir: image.contextDir,
            contextHash: hash,
            dockerfile: image.dockerfile,
            repository: repositoryOf(platform, image.name),
            auth: platform.registry.auth,
            buildArgs: image.buildArgs,
            platform: build.platform,
            network: build.network,
            builder: build.builder === "" ? undefined : build.builder,
            cache: build.cache,
            buildOnPreview: build.buildOnPreview,
            provider: builder,
        }).ref;
        switch (image.role.kind) {
            case "service":
                services[image.role.service] = ref;
                break;
            case "data":
                data[image.role.data] = ref;
                break;
            case "proxy":
                proxy = ref;
                break;
        }
    }
    return { services, data, proxy };
}
