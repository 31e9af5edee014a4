/**
 * The coverage matrix (policy/coverage/): every listed check has a rule of the pack or a reason,
 * every named rule exists, the lists are complete (19 Pod Security checks, 31 kube-linter
 * defaults), the README's claim matches the counts, and docs/policy.md is generated from it.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { RULES } from "../../policy/catalog";
import { CHECKOV_AWS, CHECKOV_AZURE, CHECKOV_KUBERNETES, countsOf, KUBE_LINTER, POD_SECURITY } from "../../policy/coverage";
import { renderPolicyDoc, SCANNERS } from "../../scripts/policyDocs";
import { PROJECT_DIR } from "../../harness/stackFiles";

const ruleNames = new Set(RULES.map((r) => r.name));

describe("policy coverage matrix", () => {
    for (const scanner of SCANNERS) {
        describe(scanner.name, () => {
            it("maps every check to a rule or a reason", () => {
                const unmapped = scanner.entries.filter((e) => e.rules.length === 0 && (e.reason ?? "").length < 20).map((e) => e.id);
                assert.deepStrictEqual(unmapped, [], "give these checks a rule or say why not");
            });

            it("names only rules the pack has", () => {
                const unknown = scanner.entries.flatMap((e) => e.rules.filter((r) => !ruleNames.has(r)).map((r) => `${e.id} -> ${r}`));
                assert.deepStrictEqual(unknown, []);
            });

            it("gives rules only to checks that apply, and lists each check once", () => {
                assert.deepStrictEqual(
                    scanner.entries.filter((e) => !e.applies && e.rules.length > 0).map((e) => e.id),
                    [],
                );
                const keys = scanner.entries.map((e) => `${e.group ?? ""}/${e.id}`);
                assert.strictEqual(new Set(keys).size, keys.length, "a check is listed twice");
            });
        });
    }

    it("lists all 19 Pod Security checks and all 31 kube-linter defaults, every one covered", () => {
        assert.deepStrictEqual(countsOf(POD_SECURITY.entries), { listed: 19, applicable: 19, covered: 19 });
        assert.deepStrictEqual(countsOf(KUBE_LINTER.entries), { listed: 31, applicable: 31, covered: 31 });
    });

    it("covers every checkov Kubernetes check that applies", () => {
        const c = countsOf(CHECKOV_KUBERNETES.entries);
        assert.strictEqual(c.covered, c.applicable);
        assert.strictEqual(c.listed, 119);
    });

    it("lists the checkov cloud checks of every service the program creates", () => {
        const groups = (entries: typeof CHECKOV_AWS.entries) => [...new Set(entries.map((e) => e.group))].sort();
        assert.deepStrictEqual(groups(CHECKOV_AWS.entries), ["ECR", "EKS", "ElastiCache", "RDS"]);
        assert.deepStrictEqual(groups(CHECKOV_AZURE.entries), ["ACR", "AKS", "PostgreSQL", "Redis"]);
    });

    it("every rule of the pack covers at least one listed check, or is a stack-wide rule of the program's own", () => {
        const used = new Set(SCANNERS.flatMap((s) => s.entries.flatMap((e) => e.rules)));
        // Rules no scanner has: the program's own invariants (HPA owns replicas and has its metrics, VPA only
        // recommends beside it, explicit provider, public LB, AcrPull).
        const own = [
            "k8s-no-replicas-with-hpa",
            "k8s-hpa-metrics-source",
            "k8s-vpa-hpa-conflict",
            "k8s-explicit-provider",
            "k8s-no-public-load-balancer",
            "k8s-pdb-for-replicated-workloads",
            "aws-eks-nodes-private-subnets",
            "azure-acr-pull-for-kubelet",
            "azure-aks-workload-identity",
            "cost-estimate",
            "cost-budget",
            "k8s-capacity-at-max-scale",
        ];
        assert.deepStrictEqual(
            RULES.map((r) => r.name).filter((n) => !used.has(n) && !own.includes(n)),
            [],
        );
    });

    it("docs/policy.md is generated from the pack and the matrix (npm run docs:policy)", () => {
        const file = path.join(PROJECT_DIR, "docs", "policy.md");
        const text = fs.readFileSync(file, "utf8");
        assert.ok(text === renderPolicyDoc(text), "docs/policy.md is out of date: run npm run docs:policy");
    });

    it("the README states the pack's rule count and the matrix's coverage", () => {
        const readme = fs.readFileSync(path.join(PROJECT_DIR, "README.md"), "utf8");
        const mandatory = RULES.filter((r) => r.advisory !== true).length;
        const advisory = RULES.length - mandatory;
        const claim = `(${mandatory} mandatory rules and ${advisory} advisory)`;
        assert.ok(readme.includes(claim), `README must say "${claim}"`);
        for (const scanner of [CHECKOV_AWS, CHECKOV_AZURE]) {
            const c = countsOf(scanner.entries);
            assert.ok(
                readme.includes(`${c.covered} of ${c.applicable}`),
                `README must state ${scanner.name}: ${c.covered} of ${c.applicable} applicable checks`,
            );
        }
    });
});
