/**
 * A named local volume as a dynamic resource. Local volumes live on one node: the data
 * services that use one carry a placement constraint that keeps them on that node.
 */
import * as pulumi from "@pulumi/pulumi";
import { engineCall, engineRequest } from "../engine/client";
import { removeWithRetry } from "../engine/wait";

interface VolumeInputs {
    readonly engineHost: string;
    readonly name: string;
    readonly labels: Record<string, string>;
}

const volumeProvider: pulumi.dynamic.ResourceProvider<VolumeInputs, VolumeInputs> = {
    async create(inputs) {
        const created = await engineCall<{ Name: string }>(inputs.engineHost, "POST", "/volumes/create", {
            Name: inputs.name,
            Driver: "local",
            Labels: inputs.labels,
        });
        return { id: created?.Name ?? inputs.name, outs: inputs };
    },
    async read(id, props) {
        if (!props) return {};
        const response = await engineRequest(props.engineHost, "GET", `/volumes/${encodeURIComponent(id)}`);
        if (response.status === 404) return {};
        return { id, props };
    },
    diff(_id, olds, news) {
        const replaces = (["engineHost", "name", "labels"] as const).filter(
            (key) => JSON.stringify(olds[key]) !== JSON.stringify(news[key]),
        );
        return Promise.resolve({ changes: replaces.length > 0, replaces, deleteBeforeReplace: true });
    },
    async delete(id, props) {
        // A task that is still stopping holds the volume for a few seconds.
        await removeWithRetry(props.engineHost, `/volumes/${encodeURIComponent(id)}`, 120_000);
    },
};

/** Arguments of {@link SwarmVolume}. */
export interface SwarmVolumeArgs {
    readonly engineHost: string;
    /** Volume name on the node. */
    readonly name: string;
    readonly labels: Readonly<Record<string, string>>;
}

/** A named volume on the manager the engine endpoint points at. Deleting it deletes the data. */
export class SwarmVolume extends pulumi.dynamic.Resource {
    /** The volume name. */
    declare public readonly name: pulumi.Output<string>;

    constructor(name: string, args: SwarmVolumeArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            volumeProvider,
            name,
            { engineHost: args.engineHost, name: args.name, labels: { ...args.labels } },
            opts,
            "platform",
            "SwarmVolume",
        );
    }
}
