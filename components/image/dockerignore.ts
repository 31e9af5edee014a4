/**
 * A .dockerignore matcher with Docker's semantics (Go filepath.Match patterns, "**" for any
 * number of folders, "!" to re-include, the last matching line wins), so the content hash sees
 * exactly the files `docker build` would send.
 */

/** One parsed .dockerignore line. */
export interface IgnoreRule {
    readonly negate: boolean;
    readonly pattern: RegExp;
}

function globToRegExp(glob: string): RegExp {
    let source = "";
    for (let i = 0; i < glob.length; i++) {
        const c = glob[i];
        if (c === "*") {
            if (glob[i + 1] === "*") {
                // "**/" matches zero or more folders; a trailing "**" matches everything below.
                const slash = glob[i + 2] === "/";
                source += slash ? "(?:.*/)?" : ".*";
                i += slash ? 2 : 1;
            } else source += "[^/]*";
        } else if (c === "?") source += "[^/]";
        else if (c === "[") {
            const end = glob.indexOf("]", i);
            if (end < 0) source += "\\[";
            else {
                source +=
                    "[" +
                    glob
                        .slice(i + 1, end)
                        .replace(/^!/, "^")
                        .replace(/\\/g, "\\\\") +
                    "]";
                i = end;
            }
        } else source += c.replace(/[.+^${}()|\\]/g, "\\$&");
    }
    // A pattern also excludes everything under a matching folder.
    return new RegExp(`^${source}(?:/.*)?$`);
}

/** Parses .dockerignore text into rules (comments and blank lines dropped, paths cleaned). */
export function parseDockerignore(text: string): IgnoreRule[] {
    const rules: IgnoreRule[] = [];
    for (const rawLine of text.split(/\r?\n/)) {
        let line = rawLine.trim();
        if (line === "" || line.startsWith("#")) continue;
        const negate = line.startsWith("!");
        if (negate) line = line.slice(1).trim();
        line = line.replace(/^\/+/, "").replace(/\/+$/, "").replace(/^\.\//, "");
        if (line === "") continue;
        rules.push({ negate, pattern: globToRegExp(line) });
    }
    return rules;
}

/** True when the path (relative, "/"-separated) is excluded from the build context. */
export function isIgnored(relativePath: string, rules: readonly IgnoreRule[]): boolean {
    let ignored = false;
    for (const rule of rules) if (rule.pattern.test(relativePath)) ignored = !rule.negate;
    return ignored;
}

/** True when no rule can re-include something below an ignored folder, so it can be skipped whole. */
export function canPruneFolder(relativePath: string, rules: readonly IgnoreRule[]): boolean {
    return isIgnored(relativePath, rules) && !rules.some((r) => r.negate);
}
