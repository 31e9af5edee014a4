/**
 * A fake file system for parser tests: Dockerfiles and kubeconfigs are files, every other path
 * is a folder, unless `kinds` says otherwise (matched on the end of the path).
 */
import type { FileKind, FileView } from "../../../stacks/parse";

/** A kubeconfig with the contexts the tests name. */
export const TEST_KUBECONFIG = [
    "apiVersion: v1",
    "kind: Config",
    "clusters: [{name: test, cluster: {server: 'https://127.0.0.1:6443'}}]",
    "contexts: [{name: c, context: {cluster: test, user: test}}, {name: platform-local, context: {cluster: test, user: test}}]",
    "current-context: c",
    "users: [{name: test, user: {token: test-token-value}}]",
    "",
].join("\n");

/** Options of {@link fakeFiles}. */
export interface FakeFilesOptions {
    /** Kinds by path suffix, checked before the defaults ("/kc": "missing"). */
    readonly kinds?: Readonly<Record<string, FileKind>>;
    /** Text of every file read (the kubeconfig). Default {@link TEST_KUBECONFIG}. */
    readonly text?: string;
}

const FILE_NAME = /(^|\/)(Dockerfile[^/]*|kc|kubeconfig[^/]*|[^/]+\.ya?ml)$|\/\.kube\//;

/** A {@link FileView} that needs no disk. */
export function fakeFiles(options: FakeFilesOptions = {}): FileView {
    return {
        kind: (p) => {
            for (const [suffix, kind] of Object.entries(options.kinds ?? {})) if (p.endsWith(suffix)) return kind;
            return FILE_NAME.test(p) ? "file" : "directory";
        },
        readText: () => options.text ?? TEST_KUBECONFIG,
    };
}
