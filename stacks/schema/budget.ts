/**
 * `platform:budget`: the stack's monthly cost budget. Unset, the policy pack only reports the
 * estimate (advisory); set, a preview whose max-scale estimate exceeds it, or that uses an item
 * the price table cannot price, fails (rule `cost-budget`, docs/policy.md).
 */
import { z } from "zod";

const MONTHLY_USD_RULE = "must be a positive number of US dollars per month, such as 500 (at most 1000000)";

export const budgetSchema = z.strictObject({
    monthlyUsd: z
        .number({ error: MONTHLY_USD_RULE })
        .positive({ error: MONTHLY_USD_RULE })
        .max(1_000_000, { error: MONTHLY_USD_RULE })
        .optional()
        .describe(
            "Monthly budget in USD for the stack's estimated cost at max scale (compare/ price table, on-demand list prices). Unset: the policy pack reports the estimate as advisory; set: a preview above it, or with an unpriced item, fails rule cost-budget.",
        ),
});
