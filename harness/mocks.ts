/**
 * Strict recording mocks for unit tests. Every registration is recorded with its type, name,
 * parent, provider and the raw wire inputs (secret markers included); invokes not listed in
 * {@link INVOKE_RESULTS} throw, so a new cloud call cannot slip in untested.
 */
import { createHash } from "crypto";
import * as pulumi from "@pulumi/pulumi";
import { fakeOutputs } from "./fakeOutputs";
import { INVOKE_RESULTS } from "./invokes";

/** The wire marker of a secret value (see the Pulumi resource-monitor protocol). */
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const SIG_KEY = "4dabf18193072939515e22adb298388d";

/** One recorded resource registration. */
export interface Registration {
    readonly type: string;
    readonly name: string;
    readonly urn: string;
    /** Type of the parent resource (the stack when none). */
    readonly parentType: string;
    /** Provider reference ("urn::id") or "" for the default provider. */
    readonly provider: string;
    readonly custom: boolean;
    /** Inputs with secrets unwrapped (what the provider would receive). */
    readonly inputs: Record<string, unknown>;
    /** Inputs as sent on the wire: secrets are still wrapped in their marker objects. */
    readonly wireInputs: Record<string, unknown>;
    /** Aliases sent with it: a URN, or what a spec changes (type, name; "" = the resource's own). */
    readonly aliases: readonly { readonly urn: string; readonly type: string; readonly name: string }[];
    /** Outputs the engine is asked to keep secret (additionalSecretOutputs). */
    readonly secretOutputs: readonly string[];
}

interface WireStruct {
    toJavaScript(): Record<string, unknown>;
}
interface WireAlias {
    getUrn(): string;
    getSpec(): { getType(): string; getName(): string } | undefined;
}
interface RegisterRequest {
    getAliasesList(): WireAlias[];
    getAdditionalsecretoutputsList(): string[];
    getType(): string;
    getName(): string;
    getParent(): string;
    getProvider(): string;
    getCustom(): boolean;
    getObject(): WireStruct;
}
interface MonitorLike {
    registerResource(req: RegisterRequest, callback: (err: unknown, resp: unknown) => void): Promise<void> | void;
}

function typeOfUrn(urn: string): string {
    if (urn === "") return "pulumi:pulumi:Stack";
    const qualified = urn.split("::")[2] ?? "";
    const parts = qualified.split("$");
    return parts[parts.length - 1];
}

function unwrapSecrets(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(unwrapSecrets);
    if (value && typeof value === "object") {
        const record = value as Record<string, unknown>;
        if (record[SIG_KEY] === SECRET_SIG) return unwrapSecrets(record.value);
        return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, unwrapSecrets(v)]));
    }
    return value;
}

/** A stable fake id for a resource. */
export function fakeId(type: string, name: string): string {
    return `${name}-${createHash("sha256").update(type).digest("hex").slice(0, 8)}`;
}

/** Options of {@link installMocks}. */
export interface MockOptions {
    readonly project?: string;
    readonly stack?: string;
    readonly preview?: boolean;
    /**
     * Record each registration's inputs (`inputs`, `wireInputs`). Default true. The bench turns it
     * off: it only counts registrations, and converting and keeping every request's inputs is work
     * and memory of the recorder, not of the program (the engine keeps them in its own process).
     * Reading the inputs of a registration recorded without them throws.
     */
    readonly keepInputs?: boolean;
}

/** Installs the mocks and returns the live list of registrations. */
export async function installMocks(options: MockOptions = {}): Promise<Registration[]> {
    const registrations: Registration[] = [];
    await pulumi.runtime.setMocks(
        {
            newResource(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
                const inputs = args.inputs as Record<string, unknown>;
                return { id: fakeId(args.type, args.name), state: { ...inputs, ...fakeOutputs(args.type, args.name, inputs) } };
            },
            call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
                const result = INVOKE_RESULTS[args.token];
                if (!result) throw new Error(`unmocked invoke ${args.token}: add it to harness/invokes.ts`);
                return result(args.inputs as Record<string, unknown>);
            },
        },
        options.project ?? "platform",
        options.stack ?? "dev",
        options.preview ?? false,
    );
    const monitor = pulumi.runtime.getMonitor() as unknown as MonitorLike;
    const register = monitor.registerResource.bind(monitor);
    const keepInputs = options.keepInputs ?? true;
    const notKept = (): never => {
        throw new Error("this run's mocks were installed with keepInputs: false");
    };
    monitor.registerResource = (req, callback) => {
        const base = {
            type: req.getType(),
            name: req.getName(),
            urn: `urn:pulumi:${options.stack ?? "dev"}::${options.project ?? "platform"}::${req.getType()}::${req.getName()}`,
            parentType: typeOfUrn(req.getParent()),
            provider: req.getProvider(),
            custom: req.getCustom(),
            aliases: req
                .getAliasesList()
                .map((a) => ({ urn: a.getUrn(), type: a.getSpec()?.getType() ?? "", name: a.getSpec()?.getName() ?? "" })),
            secretOutputs: req.getAdditionalsecretoutputsList(),
        };
        if (keepInputs) {
            const wireInputs = req.getObject().toJavaScript();
            registrations.push({ ...base, inputs: unwrapSecrets(wireInputs) as Record<string, unknown>, wireInputs });
        } else
            registrations.push({
                ...base,
                get inputs() {
                    return notKept();
                },
                get wireInputs() {
                    return notKept();
                },
            });
        return register(req, callback);
    };
    return registrations;
}

/** Waits until every registration the program started has reached the mock monitor. */
export async function settle(registrations: readonly Registration[]): Promise<void> {
    // Registrations trickle in as Outputs resolve; wait until the count is stable across turns.
    let previous = -1;
    let stableTurns = 0;
    while (stableTurns < 5) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        if (registrations.length === previous) stableTurns++;
        else stableTurns = 0;
        previous = registrations.length;
    }
}
