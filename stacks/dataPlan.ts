/** Which data services run inside the platform, and the images they are built as. */
import type { KubernetesPlatform } from "../components/cluster/platform";
import type { DataKind } from "../components/data/dataSpecs";
import type { StackConfig } from "../model/stack";

/** Image name of an in-platform data service (prefixed so it never clashes with a service name). */
export function dataImageName(kind: DataKind): string {
    return `platform-${kind}`;
}

/** The data services that run inside the platform: those no cloud manages and no config points elsewhere. */
export function inPlatformData(config: StackConfig, platform: Pick<KubernetesPlatform, "managedData"> | undefined): DataKind[] {
    if (platform?.managedData) return [];
    const needed = new Set<DataKind>();
    for (const service of config.app.services) {
        if (service.needs.redis) needed.add("redis");
        if (service.needs.postgres) needed.add("postgres");
    }
    if (config.data.postgres.external) needed.delete("postgres");
    return (["redis", "postgres"] as const).filter((kind) => needed.has(kind));
}
