/** `platform:local`: an existing or embedded Kubernetes cluster reached through a kubeconfig file. */
import { z } from "zod";
import { hostAddress, intInRange } from "./rules";

export const localSchema = z.strictObject({
    kubeconfig: z
        .string({ error: "must be the path of a kubeconfig file" })
        .min(1, { error: "must be the path of a kubeconfig file" })
        .describe(
            'Kubeconfig file: absolute, "~/…", or relative to the project. Required: the program never falls back to ~/.kube/config. Only the selected context, its cluster and its user are kept (a secret in state and in the kubeconfig output), so ~/.kube/config\'s other credentials stay out of the stack.',
        ),
    context: z
        .string({ error: "must name a context of the kubeconfig" })
        .min(1, { error: "must name a context of the kubeconfig" })
        .describe("Context inside the kubeconfig. Required, for the same reason."),
    registry: z
        .string({ error: 'must be a registry address such as "127.0.0.1:5000"' })
        .regex(/^[a-z0-9.-]+(:\d{1,5})?$/, { error: 'must be a registry address such as "127.0.0.1:5000"' })
        .default("127.0.0.1:5000")
        .describe("Registry the images are pushed to and the nodes pull from (anonymous push)."),
    nodeAddress: hostAddress().default("127.0.0.1").describe("Address at which node ports answer; used for the app URL."),
    nodePortBase: intInRange(30000, 32767)
        .default(30080)
        .describe("Node port of the first public service; the next public services get the following ports."),
    storageClass: z
        .string({ error: "must be a StorageClass name (lowercase DNS subdomain) or empty" })
        .regex(/^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, {
            error: "must be a StorageClass name (lowercase DNS subdomain) or empty",
        })
        .max(253, { error: "must be a StorageClass name (lowercase DNS subdomain) or empty" })
        .default("")
        .describe("StorageClass of the data volumes; empty uses the cluster's default class."),
});
