/**
 * Facts about the identifiers a stack names in a cloud's directory. Pure: no Pulumi, no zod.
 */

/** A GUID as Azure writes object, tenant and subscription ids: lowercase hex, 8-4-4-4-12. */
export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

// Random (version 4) GUIDs, which Entra ID issues, use nearly all 16 hex digits across their 32;
// fewer than this many distinct digits is an example typed by hand, not an issued id. The odds
// that a random GUID draws fewer are below one in 10^16.
const MIN_DISTINCT_DIGITS = 6;

/** Example GUIDs from docs that have enough distinct digits to pass the count above. */
const KNOWN_EXAMPLES = new Set([
    "12345678-1234-1234-1234-123456789012",
    "12345678-1234-5678-1234-567812345678",
    "01234567-89ab-cdef-0123-456789abcdef",
]);

/**
 * Whether a GUID is a placeholder: all zeros, a single repeated digit, a counting pattern, or
 * another hand-typed example ("00000000-0000-4000-8000-000000000001"), which no directory issues.
 */
export function isPlaceholderGuid(value: string): boolean {
    const digits = value.toLowerCase().replace(/-/g, "");
    return KNOWN_EXAMPLES.has(value.toLowerCase()) || new Set(digits).size < MIN_DISTINCT_DIGITS;
}
