/**
 * The Engine API provider of a named local volume. Local volumes live on one node: the data
 * services that use one carry a placement constraint that keeps them on that node.
 *
 * Runs in the dynamic-provider host from the source text in state (./source.ts): it may import
 * only Node.js built-ins and modules of this folder's tree that do the same; Pulumi only as types.
 */
import type * as pulumi from "@pulumi/pulumi";
import { engineCall, engineRequest } from "../engine/client";
import { removeWithRetry } from "../engine/wait";
import { replaceOnChange } from "./replaceOnChange";

interface VolumeInputs {
    readonly engineHost: string;
    readonly name: string;
    readonly labels: Record<string, string>;
}

/** The volume provider the dynamic-provider host runs (see ./source.ts). */
export const volumeProvider: pulumi.dynamic.ResourceProvider<VolumeInputs, VolumeInputs> = {
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
        return replaceOnChange(olds, news, ["engineHost", "name", "labels"], true);
    },
    async delete(id, props) {
        // A task that is still stopping holds the volume for a few seconds.
        await removeWithRetry(props.engineHost, `/volumes/${encodeURIComponent(id)}`, 120_000);
    },
};
