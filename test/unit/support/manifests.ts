/**
 * Kubernetes manifests from a mocked run: every registered Kubernetes object's inputs as the
 * YAML document `kubectl apply` would take, so external scanners read what a stack deploys.
 */
import * as fs from "fs";
import * as path from "path";
import { stringify } from "yaml";
import type { Registration } from "../../../harness/mocks";

/** One manifest: the object and the file it is written to. */
export interface Manifest {
    readonly file: string;
    readonly object: Record<string, unknown>;
}

/** `kubernetes:apps/v1:Deployment` → { apiVersion: "apps/v1", kind: "Deployment" }; undefined for anything else. */
export function kubernetesKind(type: string): { apiVersion: string; kind: string } | undefined {
    const match = /^kubernetes:([a-z0-9.]+)\/([a-z0-9]+):([A-Za-z]+)$/.exec(type);
    if (!match) return undefined;
    const [, group, version, kind] = match;
    return { apiVersion: group === "core" ? version : `${group}/${version}`, kind };
}

/** The manifests of a run's Kubernetes objects, named by the object's kind and Pulumi resource name. */
export function manifestsOf(registrations: readonly Registration[]): Manifest[] {
    return registrations.flatMap((r): Manifest[] => {
        const kind = kubernetesKind(r.type);
        if (kind === undefined || !r.custom) return [];
        const metadata = { ...(r.inputs.metadata as Record<string, unknown> | undefined) };
        // Autonamed objects get their name from the engine; the Pulumi name stands in for it.
        if (metadata.name === undefined) metadata.name = r.name;
        const object = { ...kind, ...r.inputs, metadata };
        return [{ file: `${kind.kind.toLowerCase()}-${r.name}.yaml`, object }];
    });
}

/** Writes manifests into `dir` (created when missing); returns the file paths. */
export function writeManifests(dir: string, manifests: readonly Manifest[]): string[] {
    fs.mkdirSync(dir, { recursive: true });
    return manifests.map((m) => {
        const file = path.join(dir, m.file);
        fs.writeFileSync(file, stringify(m.object));
        return file;
    });
}
