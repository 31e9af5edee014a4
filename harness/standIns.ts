/**
 * Stand-ins for the values only a deploy needs. The committed cloud stack files hold placeholders
 * where a user must put their own addresses and directory ids (RFC 5737 documentation ranges, an
 * example GUID), and the config edge refuses those. Everything that evaluates the committed files
 * without deploying (unit tests, golden lists, `npm run compare`, the policy report, bench) swaps
 * each placeholder for a stand-in here, and says so where it prints.
 */
import { specialPurposeOf } from "../model/network";
import { GUID, isPlaceholderGuid } from "../model/identifiers";

/**
 * Stand-in for a documentation range: RFC 7526's retired 6to4 relay block, public in form (so
 * the edge's public-only rules accept it) and nobody's operator or runner address.
 */
export const STAND_IN_CIDR = "192.88.99.0/24";

/** Stand-in for an example group object id: a fixed random (version 4) GUID issued to no one. */
export const STAND_IN_GUID = "7c9e4b2a-5f13-4d68-a0b7-e2d5c8f1396b";

/** The config keys, per `platform:` block and list, whose placeholders get a stand-in. */
export const STAND_IN_KEYS: readonly (readonly [block: string, list: string])[] = [
    ["platform:aws", "endpointPublicAccessCidrs"],
    ["platform:azure", "authorizedIpRanges"],
    ["platform:azure", "adminGroupObjectIds"],
    ["platform:app", "allowedSourceRanges"],
];

function standInFor(entry: unknown): unknown {
    if (typeof entry !== "string") return entry;
    if (specialPurposeOf(entry) === "documentation") return STAND_IN_CIDR;
    if (GUID.test(entry) && isPlaceholderGuid(entry)) return STAND_IN_GUID;
    return entry;
}

/**
 * Replaces every placeholder entry of the {@link STAND_IN_KEYS} lists in a config map (values as
 * Pulumi passes them: structured blocks as JSON). Returns the new map and the full keys replaced
 * ("platform:aws.endpointPublicAccessCidrs"), empty when the file held no placeholder.
 */
export function withStandIns(config: Readonly<Record<string, string>>): { config: Record<string, string>; replaced: string[] } {
    const out: Record<string, string> = { ...config };
    const replaced: string[] = [];
    for (const [block, list] of STAND_IN_KEYS) {
        const text = out[block];
        if (text === undefined) continue;
        let parsed: unknown;
        try {
            parsed = JSON.parse(text);
        } catch {
            continue; // Not JSON: the config edge reports it.
        }
        if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) continue;
        const value = (parsed as Record<string, unknown>)[list];
        if (!Array.isArray(value)) continue;
        const swapped = value.map(standInFor);
        if (swapped.some((entry, i) => entry !== value[i])) {
            out[block] = JSON.stringify({ ...(parsed as Record<string, unknown>), [list]: swapped });
            replaced.push(`${block}.${list}`);
        }
    }
    return { config: out, replaced };
}

/** The line a tool prints when it evaluated a stack with stand-ins. */
export function standInNotice(stack: string, replaced: readonly string[]): string | undefined {
    if (replaced.length === 0) return undefined;
    return `Pulumi.${stack}.yaml: placeholders of ${replaced.join(", ")} evaluated with stand-ins (${STAND_IN_CIDR}, ${STAND_IN_GUID}); a deploy needs your own values (docs/aws.md, docs/azure.md)`;
}
