/**
 * The image tag: a hash of every input that changes the bytes `docker build` produces. The
 * context alone is not enough: the same files built on another base image, with another build
 * argument or for another platform are a different image, and a registry with immutable tags
 * refuses (or, elsewhere, silently shares) a tag reused for other bytes.
 */
import { createHash } from "crypto";
import { IMAGE_TAG_PREFIX } from "../../model/images";

/** What goes into an image build, as far as the bytes are concerned. */
export interface BuildInputs {
    /** {@link contextHash} of the build context (files, modes, bytes, Dockerfile included). */
    readonly contextHash: string;
    /** Dockerfile path relative to the context: another file in the same context is another build. */
    readonly dockerfile: string;
    /** Build arguments; base image references arrive here (NODE_IMAGE, DEBIAN_IMAGE). Order does not matter. */
    readonly buildArgs: Readonly<Record<string, string>>;
    /** Target platform, e.g. linux/amd64. */
    readonly platform: string;
}

/**
 * The content tag for a build: `b-` and 16 hex digits of a SHA-256 over the inputs, each
 * length-prefixed so that no two different inputs serialize alike.
 *
 * A base image given by a moving tag (node:20-bookworm-slim) can still change under the same
 * reference; pin it by digest (`name@sha256:…`) to make the tag cover it too.
 */
export function buildTag(inputs: BuildInputs): string {
    const hash = createHash("sha256");
    const field = (value: string) => hash.update(`${Buffer.byteLength(value)}:${value};`);
    field("context");
    field(inputs.contextHash);
    field("dockerfile");
    field(inputs.dockerfile);
    field("platform");
    field(inputs.platform);
    for (const key of Object.keys(inputs.buildArgs).sort()) {
        field("arg");
        field(key);
        field(inputs.buildArgs[key]);
    }
    return `${IMAGE_TAG_PREFIX}${hash.digest("hex").slice(0, 16)}`;
}
