/**
 * A swarm secret holding one value; the value stays secret in state, input and output (its provider: ../providers/secret.ts).
 */
import * as pulumi from "@pulumi/pulumi";
import { EngineResource } from "./engineResource";

/** Arguments of {@link SwarmSecret}. */
export interface SwarmSecretArgs {
    readonly engineHost: string;
    /** Name prefix; the content hash is appended. */
    readonly baseName: string;
    /** The value (kept secret). */
    readonly data: pulumi.Input<string>;
    readonly labels: Readonly<Record<string, string>>;
}

/** A swarm secret holding one value; services mount it under /run/secrets. */
export class SwarmSecret extends EngineResource {
    /** The swarm name (`<baseName>-<hash>`). */
    declare public readonly name: pulumi.Output<string>;
    /** The engine's secret id. */
    declare public readonly secretId: pulumi.Output<string>;

    constructor(name: string, args: SwarmSecretArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            "secret",
            "SwarmSecret",
            name,
            {
                engineHost: args.engineHost,
                baseName: args.baseName,
                data: pulumi.secret(args.data),
                labels: { ...args.labels },
                name: undefined,
                secretId: undefined,
            },
            { ...opts, additionalSecretOutputs: ["data"] },
        );
    }
}
