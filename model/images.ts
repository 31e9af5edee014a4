/**
 * Facts about the images the stack builds that more than one layer needs: the image component
 * writes the build cache under this tag, and registries with immutable tags must exempt it.
 */

/**
 * Tag of the registry-backed build cache in each image's own repository. It moves on every
 * build (it is a cache, not an image anyone runs), so it never matches a content tag (`b-…`).
 */
export const BUILD_CACHE_TAG = "buildcache";

/** Prefix of every image tag the program pushes (`b-` and 16 hex digits of the build inputs' hash). */
export const IMAGE_TAG_PREFIX = "b-";

/** Where BuildKit keeps layers between builds: `registry` (next to the image) or `none`. */
export type BuildCache = "registry" | "none";
