/**
 * The diff of an Engine API object the engine cannot change in place (networks, secrets,
 * volumes): any of its inputs named in `keys` that differs, compared as JSON, replaces it.
 *
 * Runs in the dynamic-provider host from the source text in state (./source.ts): it may import
 * only Node.js built-ins; Pulumi only as types.
 */
import type * as pulumi from "@pulumi/pulumi";

/**
 * The keys of `keys` whose values differ between `olds` and `news`, as a replacement.
 * @param deleteBeforeReplace true when the old object must go first (its name is unique on the engine).
 */
export function replaceOnChange<T extends object>(
    olds: T,
    news: T,
    keys: readonly (keyof T & string)[],
    deleteBeforeReplace: boolean,
): Promise<pulumi.dynamic.DiffResult> {
    const replaces = keys.filter((key) => JSON.stringify(olds[key]) !== JSON.stringify(news[key]));
    return Promise.resolve({ changes: replaces.length > 0, replaces, deleteBeforeReplace });
}
