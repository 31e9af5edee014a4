/**
 * Price table types and lookups. The table itself (compare/priceTable.ts) is committed data:
 * every line carries its date, its public source and the assumption behind it. Nothing here
 * makes a network call.
 */

/** What a price is per: an hour of something running, or a GB of storage for a month. */
export type PriceUnit = "hour" | "GB-month";

/** One priced item, e.g. an EC2 instance type on demand in one region. */
export interface PriceLine {
    /** Key a plan refers to: `<cloud>:<region>:<service>[:<size>]`. */
    readonly item: string;
    /** Human name of the item. */
    readonly label: string;
    readonly unit: PriceUnit;
    /** List price in US dollars per unit. */
    readonly usd: number;
    /** Month the price was read, e.g. "2026-11". */
    readonly asOf: string;
    /** Public pricing page the price comes from. */
    readonly source: string;
    readonly region: string;
    /** How the price is applied (hours per month, on-demand, tier). */
    readonly assumption: string;
}

/** vCPU and memory of a machine size (instance type or VM size). */
export interface MachineSize {
    readonly vcpu: number;
    readonly memoryGiB: number;
    readonly source: string;
}

/** The committed price data. */
export interface PriceTable {
    /** Hours a month is billed as; default 730 (8760 / 12). */
    readonly hoursPerMonth: number;
    readonly lines: readonly PriceLine[];
    /** Machine sizes by name ("t3.medium", "Standard_D4s_v5"). */
    readonly machines: Readonly<Record<string, MachineSize>>;
}

/** A plan referred to items the table has no line for. */
export class UnpricedError extends Error {
    constructor(readonly items: readonly string[]) {
        super(`no price line for ${items.join(", ")}: add it to compare/priceTable.ts with its source, date and assumption`);
        this.name = "UnpricedError";
    }
}

/** The price line of `item`, or undefined when the table has none. */
export function findPrice(table: PriceTable, item: string): PriceLine | undefined {
    return table.lines.find((line) => line.item === item);
}

/** Monthly cost in USD of `quantity` units of a line (hours-based lines run all month). */
export function monthly(line: PriceLine, quantity: number, hoursPerMonth: number): number {
    return line.unit === "hour" ? line.usd * hoursPerMonth * quantity : line.usd * quantity;
}
