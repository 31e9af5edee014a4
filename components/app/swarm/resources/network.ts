/**
 * A swarm overlay network as a dynamic resource: created through the Engine API, never
 * changed in place (networks are immutable), removed once its tasks have let go of it.
 */
import * as pulumi from "@pulumi/pulumi";
import { engineCall, engineRequest } from "../engine/client";
import type { NetworkCreate } from "../engine/types";
import { removeWithRetry } from "../engine/wait";

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

const networkProvider: pulumi.dynamic.ResourceProvider<NetworkInputs, NetworkOutputs> = {
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
        const replaces = (["engineHost", "name", "encrypted", "labels"] as const).filter(
            (key) => JSON.stringify(olds[key]) !== JSON.stringify(news[key]),
        );
        return Promise.resolve({ changes: replaces.length > 0, replaces, deleteBeforeReplace: true });
    },
    async delete(id, props) {
        await removeWithRetry(props.engineHost, `/networks/${id}`, 120_000);
    },
};

/** Arguments of {@link SwarmNetwork}. */
export interface SwarmNetworkArgs {
    /** Docker endpoint of a manager. */
    readonly engineHost: string;
    /** Network name (swarm-wide). */
    readonly name: string;
    /** Encrypt traffic between nodes (IPsec). Default true. */
    readonly encrypted?: boolean;
    readonly labels: Readonly<Record<string, string>>;
}

/** An overlay network of the swarm. */
export class SwarmNetwork extends pulumi.dynamic.Resource {
    /** The engine's network id. */
    declare public readonly networkId: pulumi.Output<string>;

    constructor(name: string, args: SwarmNetworkArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            networkProvider,
            name,
            {
                engineHost: args.engineHost,
                name: args.name,
                encrypted: args.encrypted ?? true,
                labels: { ...args.labels },
                networkId: undefined,
            },
            opts,
            "platform",
            "SwarmNetwork",
        );
    }
}
