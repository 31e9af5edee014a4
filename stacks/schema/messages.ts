/**
 * The words a config problem uses where a rule has no sentence of its own. Every rule in
 * stacks/schema states its valid range; this map covers what the schema library would otherwise
 * say in its own words ("Invalid input: expected array, received undefined"): the kind of value
 * a key takes, in the user's terms, and where to read more.
 */
import type { z } from "zod";

const SEE = 'see README, "Config reference"';

const KINDS: Readonly<Record<string, string>> = {
    object: "a block of keys (a YAML mapping)",
    array: "a list (a YAML sequence)",
    string: "text (a YAML string)",
    number: "a number",
    int: "an integer",
    boolean: "true or false",
};

/** The message of an issue no rule worded, in the form "must be …; see README". */
export function fallbackMessage(issue: z.core.$ZodRawIssue): string {
    switch (issue.code) {
        case "invalid_type":
            return `must be ${KINDS[issue.expected] ?? `a value of type ${issue.expected}`}; ${SEE}`;
        case "too_small":
            return issue.origin === "array"
                ? `must list at least ${String(issue.minimum)} items; ${SEE}`
                : `must be at least ${String(issue.minimum)}${issue.origin === "string" ? " characters long" : ""}; ${SEE}`;
        case "too_big":
            return issue.origin === "array"
                ? `must list at most ${String(issue.maximum)} items; ${SEE}`
                : `must be at most ${String(issue.maximum)}${issue.origin === "string" ? " characters long" : ""}; ${SEE}`;
        case "invalid_value":
            return `must be one of ${issue.values.map(String).join(", ")}`;
        case "unrecognized_keys":
            return "unknown key";
        default:
            return `is not a valid value here; ${SEE}`;
    }
}
