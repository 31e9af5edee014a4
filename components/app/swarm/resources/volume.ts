/**
 * A named local volume (its provider: ../providers/volume.ts).
 */
import * as pulumi from "@pulumi/pulumi";
import { EngineResource } from "./engineResource";

/** Arguments of {@link SwarmVolume}. */
export interface SwarmVolumeArgs {
    readonly engineHost: string;
    /** Volume name on the node. */
    readonly name: string;
    readonly labels: Readonly<Record<string, string>>;
}

/** A named volume on the manager the engine endpoint points at. Deleting it deletes the data. */
export class SwarmVolume extends EngineResource {
    /** The volume name. */
    declare public readonly name: pulumi.Output<string>;

    constructor(name: string, args: SwarmVolumeArgs, opts?: pulumi.CustomResourceOptions) {
        super("volume", "SwarmVolume", name, { engineHost: args.engineHost, name: args.name, labels: { ...args.labels } }, opts);
    }
}
