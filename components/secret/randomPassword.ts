/**
 * A password generated once, on create, and kept in state as a secret: stable across runs,
 * never in plain text. A dynamic provider (run by the Node.js SDK itself) rather than
 * @pulumi/random, whose provider binary cannot be built from Go modules here.
 */
// The SDK serialises this provider into state; it captures `crypto` as require("crypto").
import * as crypto from "crypto";
import * as pulumi from "@pulumi/pulumi";

interface PasswordInputs {
    readonly length: number;
}

interface PasswordOutputs extends PasswordInputs {
    readonly result: string;
}

/** Alphabet of generated passwords: letters and digits only: safe in URLs, connection strings and shell variables. */
export const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

const passwordProvider: pulumi.dynamic.ResourceProvider<PasswordInputs, PasswordOutputs> = {
    create(inputs) {
        let result = "";
        // Rejection sampling keeps every character equally likely.
        while (result.length < inputs.length) {
            for (const byte of crypto.randomBytes(inputs.length * 2)) {
                if (byte < 248 && result.length < inputs.length) result += ALPHABET[byte % ALPHABET.length];
            }
        }
        return Promise.resolve({ id: crypto.randomUUID(), outs: { length: inputs.length, result } });
    },
    diff(_id, olds, news) {
        const changed = olds.length !== news.length;
        return Promise.resolve({ changes: changed, replaces: changed ? ["length"] : [], deleteBeforeReplace: false });
    },
};

/** Arguments of {@link RandomPassword}. */
export interface RandomPasswordArgs {
    /** Number of characters. Default 32 (about 190 bits). */
    readonly length?: number;
}

/** A random password created once and kept, secret, in state. */
export class RandomPassword extends pulumi.dynamic.Resource {
    /** The password (secret). */
    declare public readonly result: pulumi.Output<string>;

    constructor(name: string, args: RandomPasswordArgs = {}, opts?: pulumi.CustomResourceOptions) {
        const length = args.length ?? 32;
        if (!Number.isInteger(length) || length < 16 || length > 128)
            throw new Error(`RandomPassword ${name}: length ${length} must be an integer from 16 to 128`);
        super(
            passwordProvider,
            name,
            { length, result: undefined },
            { ...opts, additionalSecretOutputs: ["result"] },
            "platform",
            "RandomPassword",
        );
    }
}
