/**
 * IPv4 address-range math shared by the config edge (stacks/schema) and the policy pack: ranges
 * are compared as ranges, never as strings, so "0.0.0.0/1" + "128.0.0.0/1" is as open as
 * "0.0.0.0/0". Pure: no Pulumi, no zod.
 */

/** A parsed IPv4 CIDR: first address as an unsigned 32-bit number, and prefix length. */
export interface Cidr {
    readonly base: number;
    readonly prefix: number;
}

/** Addresses in the IPv4 space (2^32). */
export const IPV4_ADDRESSES = 2 ** 32;

// Canonical decimal only: no leading zeros ("010" is octal to some parsers, decimal to others),
// no signs, no spaces, so one string means one range everywhere it is read.
const OCTET = "(0|[1-9]\\d{0,2})";
const PREFIX = "(0|[1-9]\\d?)";
const CIDR_PATTERN = new RegExp(`^${OCTET}\\.${OCTET}\\.${OCTET}\\.${OCTET}\\/${PREFIX}$`);

function maskOf(prefix: number): number {
    return prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0;
}

/**
 * Parses "a.b.c.d/n" in canonical form; returns undefined for anything else: leading zeros,
 * octets above 255, prefixes above 32, host bits set ("10.0.0.1/16").
 */
export function parseCidr(value: string): Cidr | undefined {
    const match = CIDR_PATTERN.exec(value);
    if (!match) return undefined;
    const octets = match.slice(1, 5).map(Number);
    const prefix = Number(match[5]);
    if (octets.some((o) => o > 255) || prefix > 32) return undefined;
    const base = ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
    if ((base & maskOf(prefix)) >>> 0 !== base) return undefined;
    return { base, prefix };
}

/** True when two CIDR blocks share at least one address. */
export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
    const mask = maskOf(Math.min(a.prefix, b.prefix));
    return (a.base & mask) >>> 0 === (b.base & mask) >>> 0;
}

/** True when `inner` lies entirely inside `outer`. */
export function cidrContains(outer: Cidr, inner: Cidr): boolean {
    return inner.prefix >= outer.prefix && cidrsOverlap(outer, inner);
}

/** Number of addresses in a block. */
export function cidrSize(block: Cidr): number {
    return 2 ** (32 - block.prefix);
}

/** Number of distinct IPv4 addresses a list of blocks covers (overlaps counted once). */
export function coveredAddresses(blocks: readonly Cidr[]): number {
    const intervals = blocks.map((b) => [b.base, b.base + cidrSize(b)] as const).sort((x, y) => x[0] - y[0]);
    let total = 0;
    let end = -1;
    for (const [start, stop] of intervals) {
        if (stop <= end) continue;
        total += stop - Math.max(start, end);
        end = stop;
    }
    return total;
}

/** Whether an IPv6 block text is the whole IPv6 space ("::/0", "0::/0", "::0/0"…). */
function isWholeIpv6(value: string): boolean {
    const match = /^([0-9a-fA-F:]+)\/(\d{1,3})$/.exec(value.trim());
    return match !== null && match[1].includes(":") && Number(match[2]) === 0;
}

/**
 * Whether a list of address ranges admits every address: an IPv4 union covering the whole
 * space however it is split, or an IPv6 "/0". Entries that are not ranges are ignored here (the
 * config edge refuses them).
 */
export function admitsEveryAddress(ranges: readonly string[]): boolean {
    if (ranges.some(isWholeIpv6)) return true;
    const blocks = ranges.map((r) => parseCidr(r.trim())).filter((b): b is Cidr => b !== undefined);
    return coveredAddresses(blocks) >= IPV4_ADDRESSES;
}

/** Formats an unsigned 32-bit address as dotted decimal. */
export function formatIpv4(address: number): string {
    return [24, 16, 8, 0].map((shift) => (address >>> shift) & 255).join(".");
}

/** Why an IPv4 block is not a public internet address range (IANA special-purpose registry). */
export type SpecialPurpose = "documentation" | "private" | "shared" | "loopback" | "link-local" | "benchmarking" | "reserved";

/** RFC 5737's three documentation blocks: examples in docs, never a real host. */
export const DOCUMENTATION_BLOCKS = ["192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24"] as const;

/** Prefix of RFC 3849's IPv6 documentation block 2001:db8::/32, as it starts a written address. */
const IPV6_DOCUMENTATION = /^2001:0?db8(:|$)/i;

// The IANA IPv4 special-purpose blocks a public source address never comes from, by purpose.
const SPECIAL_BLOCKS: readonly (readonly [string, SpecialPurpose])[] = [
    ...DOCUMENTATION_BLOCKS.map((b) => [b, "documentation"] as const),
    ["10.0.0.0/8", "private"],
    ["172.16.0.0/12", "private"],
    ["192.168.0.0/16", "private"],
    ["100.64.0.0/10", "shared"],
    ["127.0.0.0/8", "loopback"],
    ["169.254.0.0/16", "link-local"],
    ["198.18.0.0/15", "benchmarking"],
    ["0.0.0.0/8", "reserved"],
    ["192.0.0.0/24", "reserved"],
    ["224.0.0.0/3", "reserved"],
];

/**
 * The special purpose of the block `value` lies inside; undefined for a public block, and for one
 * wider than the special blocks it overlaps ("0.0.0.0/1" is open, not private: the open-world
 * check owns it).
 * An IPv6 text inside 2001:db8::/32 is "documentation" too.
 */
export function specialPurposeOf(value: string): SpecialPurpose | undefined {
    if (IPV6_DOCUMENTATION.test(value.trim())) return "documentation";
    const block = parseCidr(value.trim());
    if (block === undefined) return undefined;
    for (const [text, purpose] of SPECIAL_BLOCKS) {
        const special = parseCidr(text) as Cidr;
        if (cidrContains(special, block)) return purpose;
    }
    return undefined;
}
