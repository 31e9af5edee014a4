/** `platform:policy`: waivers of policy-pack rules for this stack, each with the reason a reviewer reads. */
import { z } from "zod";

export const policySchema = z.strictObject({
    waivers: z
        .array(
            z.strictObject({
                rule: z
                    .string({ error: "must be a policy rule name" })
                    .regex(/^[a-z0-9-]+$/, { error: 'must be a policy rule name such as "k8s-no-public-load-balancer"' })
                    .describe("Name of the policy-pack rule this stack waives; the policy tooling checks that the rule exists."),
                reason: z
                    .string({ error: "must say why the rule is waived" })
                    .min(10, { error: "must say why the rule is waived (at least 10 characters)" })
                    .describe(
                        "Why the rule is waived, for the reviewer; the engine still shows each violation, as advisory, prefixed with it.",
                    ),
            }),
        )
        .default([])
        .describe("Policy-pack rules this stack waives, each with the reason a reviewer reads (see docs/policy.md)."),
});
