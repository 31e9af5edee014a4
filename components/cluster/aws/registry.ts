/**
 * ECR: one repository per image name, tags immutable (but the build cache's), scanned on push, encrypted with the
 * stack's KMS key, old images expired; push credentials are a short-lived token fetched on
 * every run, never stored keys.
 */
import * as aws from "@pulumi/aws/provider";
import * as ecr from "@pulumi/aws/ecr";
import * as pulumi from "@pulumi/pulumi";
import { BUILD_CACHE_TAG, IMAGE_TAG_PREFIX } from "../../../model/images";
import type { RegistryAuth } from "../platform";

/** Name of the repository of an image: "<cluster>/<image>", lowercase as ECR requires. */
export function repositoryName(clusterName: string, image: string): string {
    return `${clusterName}/${image}`.toLowerCase();
}

/**
 * Lifecycle policy: keep the newest `keep` images the program pushed (tags `b-…`), expire the
 * rest, and expire untagged manifests after a day (each build's cache export leaves the previous
 * `buildcache` manifest untagged). The cache tag itself matches neither rule and stays.
 */
export function lifecyclePolicy(keep: number): string {
    return JSON.stringify({
        rules: [
            {
                rulePriority: 1,
                description: "expire untagged manifests (old build caches) after a day",
                selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 1 },
                action: { type: "expire" },
            },
            {
                rulePriority: 2,
                description: `keep the newest ${keep} images`,
                selection: {
                    tagStatus: "tagged",
                    tagPatternList: [`${IMAGE_TAG_PREFIX}*`],
                    countType: "imageCountMoreThan",
                    countNumber: keep,
                },
                action: { type: "expire" },
            },
        ],
    });
}

/** The registry host from the token's proxy endpoint ("https://123456789012.dkr.ecr.eu-west-1.amazonaws.com"). */
export function registryHost(proxyEndpoint: string): string {
    return proxyEndpoint.replace(/^https?:\/\//, "").replace(/\/+$/, "");
}

/** Arguments of {@link EcrRegistry}. */
export interface EcrRegistryArgs {
    readonly clusterName: string;
    readonly imageNames: readonly string[];
    readonly kmsKeyArn: pulumi.Input<string>;
    readonly keepImages: number;
    readonly provider: aws.Provider;
}

/** ECR repositories for the stack's images and the credentials to push to them. */
export class EcrRegistry extends pulumi.ComponentResource {
    /** Registry host (account.dkr.ecr.region.amazonaws.com). */
    public readonly url: pulumi.Output<string>;
    /** Repository URL per image name. */
    public readonly repositories: Readonly<Record<string, pulumi.Output<string>>>;
    /** Push credentials (the password is a 12-hour token, secret). */
    public readonly auth: pulumi.Output<RegistryAuth>;

    constructor(name: string, args: EcrRegistryArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:cluster:EcrRegistry", name, {}, opts);
        const child = { parent: this, provider: args.provider };
        const repositories: Record<string, pulumi.Output<string>> = {};
        for (const image of args.imageNames) {
            const repository = new ecr.Repository(
                `${name}-${image}`,
                {
                    name: repositoryName(args.clusterName, image),
                    // Images are pushed under a build-input tag and run by digest: a tag never needs to
                    // move, except the build cache's, which every build rewrites.
                    imageTagMutability: "IMMUTABLE_WITH_EXCLUSION",
                    imageTagMutabilityExclusionFilters: [{ filter: BUILD_CACHE_TAG, filterType: "WILDCARD" }],
                    imageScanningConfiguration: { scanOnPush: true },
                    encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: args.kmsKeyArn }],
                },
                child,
            );
            new ecr.LifecyclePolicy(
                `${name}-${image}-lifecycle`,
                { repository: repository.name, policy: lifecyclePolicy(args.keepImages) },
                child,
            );
            repositories[image] = repository.repositoryUrl;
        }
        const token = ecr.getAuthorizationTokenOutput({}, child);
        this.url = token.proxyEndpoint.apply(registryHost);
        this.auth = pulumi.secret(
            pulumi
                .all([token.proxyEndpoint, token.userName, token.password])
                .apply(([endpoint, username, password]) => ({ address: registryHost(endpoint), username, password })),
        );
        this.repositories = repositories;
        this.registerOutputs({ url: this.url, repositories });
    }
}
