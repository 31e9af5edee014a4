/**
 * The Engine API provider of a swarm overlay network: created, never changed in place (networks
 * are immutable), removed once its tasks have let go of it.
 *
 * Runs in the dynamic-provider host from the source text in state (./source.ts): it may import
 * only Node.js built-ins and modules of this folder's tree that do the same; Pulumi only as types.
 */
import type * as pulumi from "@pulumi/pulumi";
import { engineCall, engineRequest } from "../engine/client";
import type { NetworkCreate } from "../engine/types";
import { removeWithRetry } from "../engine/wait";
import { replaceOnChange } from "./replaceOnChange";

interface NetworkInputs {
    readonly engineHost: string;
    readonly name: string;
    readonly encrypted: boolean;
    readonly labels: Record<string, string>;
}

interface NetworkOutputs extends NetworkInputs {
    readonly networkId: string;
}

/** The create request of an overlay network: not attachable (only services join), IPsec between nodes when encrypted. */
export function networkCreateRequest(inputs: Pick<NetworkInputs, "name" | "encrypted" | "labels">): NetworkCreate {
    return {
        Name: inputs.name,
        Driver: "overlay",
        Attachable: false,
        CheckDuplicate: true,
        Options: inputs.encrypted ? { encrypted: "" } : {},
        Labels: inputs.labels,
    };
}

/** The network provider the dynamic-provider host runs (see ./source.ts). */
export const networkProvider: pulumi.dynamic.ResourceProvider<NetworkInputs, NetworkOutputs> = {
    async create(inputs) {
        const created = await engineCall<{ Id: string }>(inputs.engineHost, "POST", "/networks/create", networkCreateRequest(inputs));
        if (!created?.Id) throw new Error(`docker did not return an id for network ${inputs.name}`);
        return { id: created.Id, outs: { ...inputs, networkId: created.Id } };
    },
    async read(id, props) {
        if (!props) return {};
        const response = await engineRequest(props.engineHost, "GET", `/networks/${id}`);
        if (response.status === 404) return {};
        return { id, props };
    },
    diff(_id, olds, news) {
        return replaceOnChange(olds, news, ["engineHost", "name", "encrypted", "labels"], true);
    },
    async delete(id, props) {
        await removeWithRetry(props.engineHost, `/networks/${id}`, 120_000);
    },
};
