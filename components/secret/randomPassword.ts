/**
 * Generated passwords: `@pulumi/random`'s RandomPassword (a real provider plugin, built by
 * tools/toolchain.sh step `random`), created once and kept, secret, in state.
 */
import * as pulumi from "@pulumi/pulumi";
import { RandomPassword } from "@pulumi/random/randomPassword";

/** Number of characters of every generated password (about 190 bits from 62 symbols). */
export const PASSWORD_LENGTH = 32;

/**
 * Type token of the dynamic-provider password that versions before issue 19 created. The alias
 * lets the engine find an existing stack's password under the new type; the engine keeps its
 * value only after `scripts/migratePasswords.ts` has given the old state the shape the random
 * provider reads (see there: the alias alone makes the engine replace it).
 */
export const LEGACY_PASSWORD_TYPE = "pulumi-nodejs:dynamic/platform:RandomPassword";

/**
 * A password of {@link PASSWORD_LENGTH} letters and digits only (special: false: safe in URLs,
 * connection strings and shell variables), generated once on create; `result` is secret.
 * Always a child of `parent`; aliased from {@link LEGACY_PASSWORD_TYPE} under the same name.
 */
export function randomPassword(name: string, parent: pulumi.Resource): RandomPassword {
    return new RandomPassword(name, { length: PASSWORD_LENGTH, special: false }, { parent, aliases: [{ type: LEGACY_PASSWORD_TYPE }] });
}
