/**
 * Only the selected context goes into state. Pointing platform:local.kubeconfig at a user's
 * ~/.kube/config must not copy every other cluster's credentials into the provider's inputs, the
 * state or the `kubeconfig` output: the program keeps the selected context, its cluster and its
 * user, and nothing else.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { minimalKubeconfig } from "../../stacks/kubeconfig";
import { SECRET_SIG } from "../../harness/mocks";
import { isSecret, runStack, valueOf } from "../../harness/runStack";
import { readStackFile, StackConfigMap } from "../../harness/stackFiles";

const OTHER_TOKEN = "other-cluster-token-must-not-leak-7f3a";
const OTHER_KEY_DATA = "b3RoZXItY2xpZW50LWtleS1tdXN0LW5vdC1sZWFr";
const OTHER_SERVER = "https://prod.example.internal:6443";

/** A ~/.kube/config with two contexts: the platform's and a production cluster's. */
const TWO_CONTEXTS = `apiVersion: v1
kind: Config
current-context: prod
preferences: {colors: true}
clusters:
  - name: prod-cluster
    cluster: {server: ${OTHER_SERVER}, certificate-authority-data: cHJvZC1jYQ==}
  - name: local-cluster
    cluster: {server: "https://127.0.0.1:6443", certificate-authority: ca.crt}
contexts:
  - name: prod
    context: {cluster: prod-cluster, user: prod-admin, namespace: kube-system}
  - name: platform-local
    context: {cluster: local-cluster, user: local-admin}
users:
  - name: prod-admin
    user: {token: ${OTHER_TOKEN}, client-key-data: ${OTHER_KEY_DATA}}
  - name: local-admin
    user: {token: selected-token, client-key: keys/admin.key}
`;

interface Kubeconfig {
    "current-context": string;
    clusters: { name: string; cluster: { server: string; "certificate-authority"?: string } }[];
    contexts: { name: string; context: { cluster: string; user: string } }[];
    users: { name: string; user: Record<string, string> }[];
}

describe("local target: only the selected context goes into state", () => {
    let dir: string;
    let kubeconfigPath: string;

    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "kubeconfig-two-contexts-"));
        kubeconfigPath = path.join(dir, "config");
        fs.writeFileSync(kubeconfigPath, TWO_CONTEXTS);
    });

    after(() => {
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("minimalKubeconfig keeps the context, its cluster and its user, with file paths made absolute", () => {
        const reduced = minimalKubeconfig(TWO_CONTEXTS, "platform-local", "/home/me/.kube");
        assert.ok(reduced.ok);
        const doc = parse(reduced.text) as Kubeconfig & Record<string, unknown>;
        assert.deepStrictEqual(
            {
                current: doc["current-context"],
                clusters: doc.clusters,
                contexts: doc.contexts.map((c) => c.name),
                users: doc.users,
                preferences: doc.preferences,
            },
            {
                current: "platform-local",
                clusters: [
                    {
                        name: "local-cluster",
                        cluster: { server: "https://127.0.0.1:6443", "certificate-authority": "/home/me/.kube/ca.crt" },
                    },
                ],
                contexts: ["platform-local"],
                users: [{ name: "local-admin", user: { token: "selected-token", "client-key": "/home/me/.kube/keys/admin.key" } }],
                preferences: undefined,
            },
        );
    });

    it("minimalKubeconfig refuses a context the file lacks, naming the ones it has and no credential", () => {
        const reduced = minimalKubeconfig(TWO_CONTEXTS, "staging", "/tmp");
        assert.deepStrictEqual(reduced, {
            ok: false,
            message: 'has no context "staging" (it has: prod, platform-local); set platform:local.context to one of them',
        });
        const dangling = minimalKubeconfig(TWO_CONTEXTS.replace("user: local-admin}", "user: nobody}"), "platform-local", "/tmp");
        assert.deepStrictEqual(dangling, {
            ok: false,
            message: 'context "platform-local" names user "nobody", which the file does not define',
        });
    });

    it("the dev stack with a two-context kubeconfig: the other context's credentials appear in no input and no output", async () => {
        const dev = readStackFile("dev");
        const local = JSON.parse(dev.config["platform:local"]) as Record<string, unknown>;
        const map: StackConfigMap = {
            ...dev,
            config: { ...dev.config, "platform:local": JSON.stringify({ ...local, kubeconfig: kubeconfigPath }) },
        };
        const run = await runStack("dev", map);
        assert.strictEqual(run.error, undefined, run.error?.message);
        assert.ok(run.outputs);

        const outputKubeconfig = await valueOf(run.outputs.kubeconfig);
        const everything = JSON.stringify({ registrations: run.registrations, outputKubeconfig });
        for (const leak of [OTHER_TOKEN, OTHER_KEY_DATA, OTHER_SERVER, "prod-admin"])
            assert.ok(!everything.includes(leak), `${leak} was registered or exported`);

        // The provider still gets what it needs, as a secret on the wire.
        const provider = run.registrations.find((r) => r.type === "pulumi:providers:kubernetes" && r.name === "local-k8s");
        assert.ok(provider, "no local-k8s provider registered");
        const wire = provider.wireInputs.kubeconfig as Record<string, unknown>;
        assert.strictEqual(Object.values(wire).includes(SECRET_SIG), true, "the provider's kubeconfig input is not secret on the wire");
        const given = parse(provider.inputs.kubeconfig as string) as Kubeconfig;
        assert.deepStrictEqual(
            {
                current: given["current-context"],
                servers: given.clusters.map((c) => c.cluster.server),
                tokens: given.users.map((u) => u.user.token),
                context: provider.inputs.context,
            },
            { current: "platform-local", servers: ["https://127.0.0.1:6443"], tokens: ["selected-token"], context: "platform-local" },
        );
        assert.strictEqual(await isSecret(run.outputs.kubeconfig), true);
        assert.strictEqual(outputKubeconfig, provider.inputs.kubeconfig);
    });

    it("a context missing from the file is a config error naming the key, before anything is registered", async () => {
        const dev = readStackFile("dev");
        const map: StackConfigMap = {
            ...dev,
            config: { ...dev.config, "platform:local": JSON.stringify({ kubeconfig: kubeconfigPath, context: "staging" }) },
        };
        const run = await runStack("dev", map);
        assert.ok(run.error);
        assert.match(
            run.error.message,
            /platform:local\.context = staging {3}file .*config has no context "staging" \(it has: prod, platform-local\)/,
        );
        assert.ok(!run.error.message.includes(OTHER_TOKEN));
        assert.deepStrictEqual(
            run.registrations.filter((r) => r.custom),
            [],
        );
    });
});
