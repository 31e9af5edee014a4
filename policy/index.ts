// Entry of the CrossGuard pack (`pulumi preview --policy-pack policy`): serves every rule, mandatory.
import { PolicyPack } from "@pulumi/policy";
import { PACK_NAME, POLICIES } from "./pack";

new PolicyPack(PACK_NAME, {
    policies: [...POLICIES],
    enforcementLevel: "mandatory",
    description:
        "Platform baseline: Pod Security restricted and workload hygiene for Kubernetes, plus EKS/ECR/RDS/ElastiCache and AKS/ACR/Redis/PostgreSQL hardening. Waivers come from platform:policy.waivers through the generated policy config.",
});
