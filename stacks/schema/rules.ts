/**
 * Reusable validation rules for stack config. Each rule carries the sentence a user reads
 * when the value is wrong ("must be …"), so every problem names its valid range or choices.
 */
import { z } from "zod";
import { Cidr, cidrSize, coveredAddresses, IPV4_ADDRESSES, parseCidr, specialPurposeOf } from "../../model/network";
import { cpuMillicores, memoryBytes } from "../../model/quantities";

export type { Cidr } from "../../model/network";

/** An integer in `[min, max]`; the message states the range. */
export function intInRange(min: number, max: number) {
    const rule = `must be an integer from ${min} to ${max}`;
    return z.number({ error: rule }).int({ error: rule }).min(min, { error: rule }).max(max, { error: rule });
}

/** A string from a fixed list; the message lists every choice. */
export function oneOf<const T extends readonly [string, ...string[]]>(choices: T) {
    return z.enum(choices, { error: `must be one of ${choices.join(", ")}` });
}

/** A boolean (`true` or `false`). */
export function flag() {
    return z.boolean({ error: "must be true or false" });
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
/** An RFC 1123 label: what Kubernetes accepts as a namespace or service name. */
export function dnsLabel(maxLength = 63) {
    const rule = `must be a lowercase RFC 1123 label (a-z, 0-9, '-', start and end alphanumeric, at most ${maxLength} characters)`;
    return z.string({ error: rule }).max(maxLength, { error: rule }).regex(DNS_LABEL, { error: rule });
}

/** A CPU quantity Kubernetes accepts: cores ("0.5", "2") or millicores ("250m"). */
export const CPU_QUANTITY = /^(\d+(\.\d{1,3})?|\d+m)$/;
/** A memory quantity Kubernetes accepts: bytes with a binary or decimal suffix ("256Mi", "1Gi", "512M"). */
export const MEMORY_QUANTITY = /^\d+(\.\d+)?(Ki|Mi|Gi|Ti|k|M|G|T)?$/;

/** A CPU quantity, as a string ("250m", "1"); numbers are rejected so YAML `1` vs `"1"` cannot surprise. */
export function cpuQuantity() {
    const rule = 'must be a CPU quantity such as "250m" or "1" (cores or millicores, greater than 0)';
    return z
        .string({ error: rule })
        .regex(CPU_QUANTITY, { error: rule })
        .refine((q) => cpuMillicores(q) > 0, { error: rule });
}

/** A memory quantity, as a string ("256Mi"). */
export function memoryQuantity() {
    const rule = 'must be a memory quantity such as "256Mi" or "1Gi" (Ki, Mi, Gi, Ti or k, M, G, T; greater than 0)';
    return z
        .string({ error: rule })
        .regex(MEMORY_QUANTITY, { error: rule })
        .refine((q) => memoryBytes(q) > 0, { error: rule });
}

/** An IPv4 CIDR block such as "10.0.0.0/16", in canonical form (see model/network.ts). */
export function cidr() {
    const rule = 'must be an IPv4 CIDR block such as "10.0.0.0/16" (decimal octets without leading zeros, host bits zero)';
    return z.string({ error: rule }).refine((v) => parseCidr(v) !== undefined, { error: rule });
}

/** Widest single block a list that must stay narrow may hold: a /8 is 16.7 million addresses. */
export const NARROW_MIN_PREFIX = 8;

/** How to find the address to list instead of a placeholder. */
const FIND_YOUR_ADDRESS = "your address: curl -s https://checkip.amazonaws.com, then /32";

const CIDR_LIST_RULE = 'must be a list of IPv4 CIDR blocks such as ["<your-ip>/32"] (<your-ip>: curl -s https://checkip.amazonaws.com)';

/** What a list of client ranges refuses besides malformed blocks. */
export interface ClientRangeRules {
    /** The config key, for the `pulumi config set` line of the fix ("platform:app.allowedSourceRanges"). */
    readonly key: string;
    /** What the ranges reach, for the message ("the EKS API endpoint"). */
    readonly what: string;
    /**
     * Refuse blocks that together admit every address, or one wider than a /8. Default false:
     * the list may open its target to the world (the policy pack flags that).
     */
    readonly narrow?: boolean;
    /**
     * Refuse private, shared, loopback and other special-purpose blocks: a public endpoint only
     * sees public source addresses (EKS refuses them). Default false.
     */
    readonly publicOnly?: boolean;
}

/**
 * A list of client CIDR blocks. Always refused: an RFC 5737 documentation block (the committed
 * stack files hold them as placeholders; a cluster that admits only them answers no one), with
 * the `pulumi config set` line of the fix. The rest as {@link ClientRangeRules} says.
 */
export function clientCidrList(rules: ClientRangeRules) {
    const setLine = `pulumi config set --path '${rules.key}[0]' <your-ip>/32`;
    return z.array(cidr(), { error: CIDR_LIST_RULE }).check((ctx) => {
        const blocks = ctx.value.map(parseCidr).filter((b): b is Cidr => b !== undefined);
        if (blocks.length !== ctx.value.length) return;
        if (rules.narrow === true && coveredAddresses(blocks) >= IPV4_ADDRESSES) {
            ctx.issues.push({
                code: "custom",
                input: ctx.value,
                message: `together admit every IPv4 address, which opens ${rules.what} to the internet; list only your operators' and CI runners' ranges (${FIND_YOUR_ADDRESS})`,
            });
            return;
        }
        ctx.value.forEach((value, index) => {
            const block = blocks[index];
            const purpose = specialPurposeOf(value);
            if (purpose === "documentation") {
                ctx.issues.push({
                    code: "custom",
                    path: [index],
                    input: value,
                    message: `is a documentation range (RFC 5737), a placeholder no real client comes from: list the addresses that reach ${rules.what}, e.g. ${setLine} (<your-ip>: curl -s https://checkip.amazonaws.com)`,
                });
            } else if (rules.publicOnly === true && purpose !== undefined) {
                ctx.issues.push({
                    code: "custom",
                    path: [index],
                    input: value,
                    message: `is a ${purpose} range, but ${rules.what} only sees public source addresses: list public ones (${FIND_YOUR_ADDRESS}), or none to reach it from inside the network only`,
                });
            } else if (rules.narrow === true && block.prefix < NARROW_MIN_PREFIX) {
                ctx.issues.push({
                    code: "custom",
                    path: [index],
                    input: value,
                    message: `is wider than a /${NARROW_MIN_PREFIX} (${cidrSize(block).toLocaleString("en-US")} addresses) for ${rules.what}; list only your operators' and CI runners' ranges`,
                });
            }
        });
    });
}

/** A Kubernetes minor version such as "1.33". */
export function kubernetesVersion() {
    const rule = 'must be a Kubernetes minor version such as "1.33" (1.28 to 1.36)';
    return z.string({ error: rule }).regex(/^1\.(2[89]|3[0-6])$/, { error: rule });
}

// Image references as Docker's reference grammar (distribution/reference) defines them:
// [registry[:port]/]path-component(/path-component)*[:tag][@algorithm:hex].
const DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[0-9a-fA-F:]+\\])(?::[0-9]+)?`;
const PATH_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
const TAG = "[\\w][\\w.-]{0,127}";
const DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
const IMAGE_REFERENCE = new RegExp(`^(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*(?::${TAG})?(?:@${DIGEST})?$`);

/** Whether `value` is an image reference Docker and BuildKit accept ("node:20-bookworm-slim"). */
export function isImageReference(value: string): boolean {
    // Docker caps a name at 255 characters.
    return value.length <= 255 && IMAGE_REFERENCE.test(value);
}

/** An image reference such as "node:20-bookworm-slim" or "127.0.0.1:5000/base/node@sha256:…". */
export function imageReference() {
    const rule =
        'must be an image reference such as "node:20-bookworm-slim" or "registry.example:5000/team/node:20" (lowercase path, optional :tag and @sha256:digest, no spaces)';
    return z.string({ error: rule }).refine(isImageReference, { error: rule });
}

const HOST_LABEL = "[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?";
const HOST_NAME = new RegExp(`^${HOST_LABEL}(?:\\.${HOST_LABEL})*\\.?$`);
const IPV4 = /^(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})$/;
const IPV6 = /^[0-9a-fA-F:]*:[0-9a-fA-F:.]*$/;

/** Whether `value` is a DNS host name or an IP address (no scheme, no port, no path). */
export function isHostAddress(value: string): boolean {
    if (value.length > 253) return false;
    const v4 = IPV4.exec(value);
    if (v4) return v4.slice(1).every((o) => Number(o) <= 255);
    if (IPV6.test(value)) return value.split("::").length <= 2 && value.split(":").length <= 8;
    // All-numeric names ("10.0.0") are malformed addresses, not names.
    return HOST_NAME.test(value) && !/^[\d.]+$/.test(value);
}

/** A host name or IP address, without scheme or port ("db.internal", "10.0.0.5"). */
export function hostAddress() {
    const rule = 'must be a host name or IP address such as "db.internal" or "10.0.0.5" (no scheme such as http://, no port, no path)';
    return z.string({ error: rule }).refine(isHostAddress, { error: rule });
}

/** Docker Engine endpoints by scheme: what follows the scheme. */
const ENDPOINT_BODIES: Readonly<Record<string, RegExp>> = {
    unix: /^\/[^\s]*$/,
    tcp: /^[^\s/:@]+:\d{1,5}$/,
    ssh: /^(?:[a-z_][a-z0-9_.-]*@)?[^\s/:@]+(?::\d{1,5})?$/,
};

/** Whether `value` is a Docker endpoint with one of `schemes` ("unix:///var/run/docker.sock", "tcp://10.0.0.5:2375"). */
export function isDockerEndpoint(value: string, schemes: readonly string[]): boolean {
    const match = /^([a-z]+):\/\/(.*)$/.exec(value);
    if (!match || !schemes.includes(match[1])) return false;
    const body = ENDPOINT_BODIES[match[1]];
    if (!body.test(match[2])) return false;
    if (match[1] === "unix") return true;
    const host = match[2].replace(/^[^@]*@/, "").replace(/:\d+$/, "");
    const port = /:(\d+)$/.exec(match[2]);
    return isHostAddress(host) && (port === null || (Number(port[1]) >= 1 && Number(port[1]) <= 65535));
}

/** A Docker Engine endpoint with one of `schemes`. */
export function dockerEndpoint(schemes: readonly string[], example: string) {
    const rule = `must be a Docker endpoint (${schemes.map((s) => `${s}://`).join(", ")}) such as "${example}"`;
    return z.string({ error: rule }).refine((v) => isDockerEndpoint(v, schemes), { error: rule });
}

// RFC 3986 path characters: unreserved, percent-encoded octets, sub-delims, ":" and "@".
const HTTP_PATH = /^\/(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-Fa-f]{2})*$/;

/** An HTTP path such as "/healthz" (RFC 3986 characters only: no spaces, newlines or quotes other than '). */
export function httpPath() {
    const rule =
        'must be an HTTP path such as "/healthz" (starting with "/", at most 200 characters, RFC 3986 characters; percent-encode anything else)';
    return z
        .string({ error: rule })
        .max(200, { error: rule })
        .refine((v) => HTTP_PATH.test(v), { error: rule });
}
