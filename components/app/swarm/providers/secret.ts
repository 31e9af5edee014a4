/**
 * The Engine API provider of a swarm secret. Docker secrets are immutable, so a new value is a new
 * secret: its name carries a hash of the content, the replacement is created first, services
 * move to it, and the old one is removed afterwards (a rolling change, never a gap).
 *
 * Runs in the dynamic-provider host from the source text in state (./source.ts): it may import
 * only Node.js built-ins and modules of this folder's tree that do the same; Pulumi only as types.
 */
import * as crypto from "crypto";
import type * as pulumi from "@pulumi/pulumi";
import { engineCall, engineRequest } from "../engine/client";
import { removeWithRetry } from "../engine/wait";
import { replaceOnChange } from "./replaceOnChange";

interface SecretInputs {
    readonly engineHost: string;
    readonly baseName: string;
    readonly data: string;
    readonly labels: Record<string, string>;
}

interface SecretOutputs extends SecretInputs {
    /** `<baseName>-<hash>`, the swarm-wide name. */
    readonly name: string;
    readonly secretId: string;
}

/** The swarm name of a secret: the base name and 12 hex digits of the content's SHA-256 (48 bits: identifies a version, reveals nothing usable). */
export function secretName(baseName: string, data: string): string {
    return `${baseName}-${crypto.createHash("sha256").update(data).digest("hex").slice(0, 12)}`;
}

/** The secret provider the dynamic-provider host runs (see ./source.ts). */
export const secretProvider: pulumi.dynamic.ResourceProvider<SecretInputs, SecretOutputs> = {
    async create(inputs) {
        const name = secretName(inputs.baseName, inputs.data);
        const created = await engineCall<{ ID: string }>(inputs.engineHost, "POST", "/secrets/create", {
            Name: name,
            Labels: inputs.labels,
            Data: Buffer.from(inputs.data, "utf8").toString("base64"),
        });
        if (!created?.ID) throw new Error(`docker did not return an id for secret ${name}`);
        return { id: created.ID, outs: { ...inputs, name, secretId: created.ID } };
    },
    async read(id, props) {
        if (!props) return {};
        const response = await engineRequest(props.engineHost, "GET", `/secrets/${id}`);
        if (response.status === 404) return {};
        return { id, props };
    },
    diff(_id, olds, news) {
        return replaceOnChange(olds, news, ["engineHost", "baseName", "data", "labels"], false);
    },
    async delete(id, props) {
        await removeWithRetry(props.engineHost, `/secrets/${id}`, 120_000);
    },
};
