/** `platform:local`: an existing or embedded Kubernetes cluster reached through a kubeconfig file. */
import { z } from "zod";
import { intInRange } from "./rules";

export const localSchema = z.strictObject({
    /**
     * Path of the kubeconfig file (absolute, "~/…", or relative to the project folder).
     * Required: the program never falls back to ~/.kube/config on its own.
     */
    kubeconfig: z.string({ error: "must be the path of a kubeconfig file" }).min(1, { error: "must be the path of a kubeconfig file" }),
    /** Context inside the kubeconfig. Required, for the same reason. */
    context: z.string({ error: "must name a context of the kubeconfig" }).min(1, { error: "must name a context of the kubeconfig" }),
    /** Registry host:port the image component pushes to and the node pulls from. Default 127.0.0.1:5000. */
    registry: z
        .string()
        .regex(/^[a-z0-9.-]+(:\d{1,5})?$/, { error: 'must be a registry address such as "127.0.0.1:5000"' })
        .default("127.0.0.1:5000"),
    /** Address at which node ports answer; used for the app URL. Default 127.0.0.1. */
    nodeAddress: z.string().min(1).default("127.0.0.1"),
    /** First node port handed to public services (one per service, in order). Default 30080. */
    nodePortBase: intInRange(30000, 32767).default(30080),
    /** StorageClass for the data services' volumes; empty means the cluster's default class. Default "". */
    storageClass: z.string().default(""),
});

export type LocalSettings = z.output<typeof localSchema>;
