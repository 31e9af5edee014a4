/**
 * Outputs the mocks add to a registered resource, per type: what a provider would compute and
 * the program reads back (digests, generated passwords, load balancer addresses, ids).
 * A type missing here echoes its inputs, as a provider with no computed outputs would.
 */
import { createHash } from "crypto";

type FakeOutputs = (name: string, inputs: Record<string, unknown>) => Record<string, unknown>;

/** A deterministic fake secret for a resource name (tests search state for it). */
export function fakeSecret(name: string): string {
    return `mock-secret-${createHash("sha256").update(name).digest("hex").slice(0, 24)}`;
}

const BY_TYPE: Record<string, FakeOutputs> = {
    "random:index/randomPassword:RandomPassword": (name) => ({ result: fakeSecret(name) }),
    "docker-build:index:Image": (name) => ({ digest: `sha256:${createHash("sha256").update(name).digest("hex")}` }),
    "kubernetes:core/v1:Service": (name) => ({
        status: { loadBalancer: { ingress: [{ hostname: `${name}.elb.example.com`, ip: "192.0.2.10" }] } },
    }),
};

/** Extra outputs for a resource of `type`. */
export function fakeOutputs(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> {
    const make = BY_TYPE[type];
    return make ? make(name, inputs) : {};
}

/** Registers fake outputs for more types (cloud test files add theirs). */
export function addFakeOutputs(entries: Record<string, FakeOutputs>): void {
    Object.assign(BY_TYPE, entries);
}
