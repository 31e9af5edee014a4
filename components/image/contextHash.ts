/**
 * A content hash of a Docker build context: the files `docker build` would send (honouring
 * .dockerignore), their paths, modes and bytes. It is one input of the image tag (buildTag.ts):
 * an unchanged context, built the same way, gives the same tag, no rebuild and no diff.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { canPruneFolder, isIgnored, parseDockerignore } from "./dockerignore";

function listFiles(root: string, relative: string, rules: ReturnType<typeof parseDockerignore>, out: string[]): void {
    const entries = fs
        .readdirSync(path.join(root, relative), { withFileTypes: true })
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
        const rel = relative === "" ? entry.name : `${relative}/${entry.name}`;
        if (entry.isDirectory()) {
            if (!canPruneFolder(rel, rules)) listFiles(root, rel, rules, out);
        } else if ((entry.isFile() || entry.isSymbolicLink()) && !isIgnored(rel, rules)) out.push(rel);
    }
}

/**
 * Hashes a build context folder. The Dockerfile is always part of the hash, even when
 * .dockerignore names it, because Docker always reads it.
 * @returns the hex SHA-256 of the context.
 */
export function contextHash(contextDir: string, dockerfile = "Dockerfile"): string {
    const ignoreFile = path.join(contextDir, ".dockerignore");
    const rules = fs.existsSync(ignoreFile) ? parseDockerignore(fs.readFileSync(ignoreFile, "utf8")) : [];
    const files: string[] = [];
    listFiles(contextDir, "", rules, files);
    if (!files.includes(dockerfile) && fs.existsSync(path.join(contextDir, dockerfile))) files.push(dockerfile);
    const hash = createHash("sha256");
    for (const rel of files.sort()) {
        const full = path.join(contextDir, rel);
        const stat = fs.lstatSync(full);
        hash.update(`${rel}\0${stat.mode & 0o111 ? "x" : "-"}\0`);
        hash.update(stat.isSymbolicLink() ? fs.readlinkSync(full) : fs.readFileSync(full));
        hash.update("\0");
    }
    return hash.digest("hex");
}
