/**
 * The flat program of the engine section: the dev stack's Kubernetes objects, images and passwords
 * declared one by one with the plain SDK constructors (`new k8s.apps.v1.Deployment(...)`), from the
 * spec bench/flatSpec.ts derives from our stack's state (config `flat:spec`, a JSON file). No
 * components, no config schema, no model: what a hand-written `@pulumi/kubernetes` program of the
 * same objects costs the engine, the floor our program's previews are compared with.
 */
import * as fs from "fs";
import * as dockerBuild from "@pulumi/docker-build";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { FlatResource, FlatSpec, LinkPiece } from "./flatSpec";

type Outputs = Record<string, pulumi.Output<unknown>>;

/** A resource of a type without an SDK class here (a password of any provider). */
class GenericResource extends pulumi.CustomResource {}

/** A spec value as a Pulumi input: secrets wrapped, links resolved to the outputs of resources made before. */
function resolve(value: unknown, made: ReadonlyMap<string, Outputs>): pulumi.Input<unknown> {
    if (Array.isArray(value)) return value.map((v) => resolve(v, made));
    if (typeof value !== "object" || value === null) return value;
    const record = value as Record<string, unknown>;
    if ("__flatSecret" in record) return pulumi.secret(resolve(record.__flatSecret, made));
    if ("__flatLink" in record) {
        const pieces = (record.__flatLink as LinkPiece[]).map((p) => {
            if (typeof p === "string") return p;
            const output = made.get(p.resource)?.[p.output];
            if (output === undefined) throw new Error(`flat spec links to ${p.resource}.${p.output}, which is not declared before`);
            return output as pulumi.Output<string>;
        });
        return pulumi.concat(...pieces);
    }
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, resolve(v, made)]));
}

/** Declares one spec resource with the SDK class of its type. */
function declare(r: FlatResource, args: Record<string, unknown>, opts: pulumi.CustomResourceOptions): pulumi.CustomResource {
    switch (r.type) {
        case "kubernetes:core/v1:Namespace":
            return new k8s.core.v1.Namespace(r.name, args, opts);
        case "kubernetes:core/v1:Secret":
            return new k8s.core.v1.Secret(r.name, args, opts);
        case "kubernetes:core/v1:Service":
            return new k8s.core.v1.Service(r.name, args, opts);
        case "kubernetes:core/v1:ServiceAccount":
            return new k8s.core.v1.ServiceAccount(r.name, args, opts);
        case "kubernetes:apps/v1:Deployment":
            return new k8s.apps.v1.Deployment(r.name, args, opts);
        case "kubernetes:apps/v1:StatefulSet":
            return new k8s.apps.v1.StatefulSet(r.name, args, opts);
        case "kubernetes:autoscaling/v2:HorizontalPodAutoscaler":
            return new k8s.autoscaling.v2.HorizontalPodAutoscaler(r.name, args, opts);
        case "kubernetes:networking.k8s.io/v1:NetworkPolicy":
            return new k8s.networking.v1.NetworkPolicy(r.name, args, opts);
        case "kubernetes:policy/v1:PodDisruptionBudget":
            return new k8s.policy.v1.PodDisruptionBudget(r.name, args, opts);
        case "docker-build:index:Image":
            return new dockerBuild.Image(r.name, args as unknown as dockerBuild.ImageArgs, opts);
        default:
            // Custom resources of CRDs (the VPA) go through the generic class, as a hand-written program would.
            if (r.type.startsWith("kubernetes:"))
                return new k8s.apiextensions.CustomResource(r.name, args as k8s.apiextensions.CustomResourceArgs, opts);
            // Passwords (random or dynamic): the generic class with the outputs others link to.
            return new GenericResource(r.type, r.name, { ...args, ...Object.fromEntries(r.outputs.map((o) => [o, undefined])) }, opts);
    }
}

/** Declares every resource of `spec`; returns each one's outputs by key. */
export function declareFlat(spec: FlatSpec): ReadonlyMap<string, Outputs> {
    const providers: Record<string, pulumi.ProviderResource> = {};
    if (spec.providers.kubernetes !== undefined)
        providers.kubernetes = new k8s.Provider("flat-k8s", resolve(spec.providers.kubernetes, new Map()) as k8s.ProviderArgs);
    if (spec.providers["docker-build"] !== undefined)
        providers["docker-build"] = new dockerBuild.Provider(
            "flat-image-builder",
            resolve(spec.providers["docker-build"], new Map()) as dockerBuild.ProviderArgs,
        );
    const made = new Map<string, Outputs>();
    const resources = new Map<string, pulumi.CustomResource>();
    for (const r of spec.resources) {
        const provider = r.provider === undefined ? undefined : providers[r.provider];
        const dependsOn = r.dependsOn.map((k) => resources.get(k)).filter((d): d is pulumi.CustomResource => d !== undefined);
        const resource = declare(r, resolve(r.inputs, made) as Record<string, unknown>, { provider, dependsOn });
        resources.set(r.key, resource);
        const outputs = resource as unknown as Outputs;
        made.set(r.key, Object.fromEntries(r.outputs.map((o) => [o, outputs[o]])));
    }
    return made;
}

/** The program's entry: declares the spec in the file that config `flat:spec` names. */
export function main(): void {
    const specFile = new pulumi.Config("flat").require("spec");
    declareFlat(JSON.parse(fs.readFileSync(specFile, "utf8")) as FlatSpec);
}
