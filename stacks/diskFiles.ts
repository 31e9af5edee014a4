/**
 * The parser's view of the real file system (see {@link FileView}): a stat that never opens the
 * path, and reads that cannot hang on a FIFO or device or fill memory with a huge file.
 */
import * as fs from "fs";
import type { FileKind, FileView } from "./parse";

/** Largest file read as config (a kubeconfig): anything bigger is not one. */
export const MAX_CONFIG_FILE_BYTES = 1024 * 1024;

function errorCode(err: unknown): string | undefined {
    return err !== null && typeof err === "object" && "code" in err && typeof err.code === "string" ? err.code : undefined;
}

function kindOf(absolutePath: string): FileKind {
    try {
        const stats = fs.statSync(absolutePath, { throwIfNoEntry: false });
        if (stats === undefined) return "missing";
        if (stats.isFile()) return "file";
        if (stats.isDirectory()) return "directory";
        return "other";
    } catch (err) {
        const code = errorCode(err);
        if (code === "ENOTDIR" || code === "ENAMETOOLONG") return "missing";
        if (code === "EACCES" || code === "EPERM") return "unreadable";
        return "other";
    }
}

function readText(absolutePath: string): string | undefined {
    let fd: number | undefined;
    try {
        // O_NONBLOCK: if the path became a FIFO since the stat, open returns at once instead of
        // waiting for a writer; the fstat below then refuses it.
        fd = fs.openSync(absolutePath, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
        const stats = fs.fstatSync(fd);
        if (!stats.isFile() || stats.size > MAX_CONFIG_FILE_BYTES) return undefined;
        return fs.readFileSync(fd, "utf8");
    } catch {
        return undefined;
    } finally {
        if (fd !== undefined) fs.closeSync(fd);
    }
}

/** The real file system, as the config edge reads it. */
export const diskFiles: FileView = { kind: kindOf, readText };
