/** `platform:swarm`: a Docker Swarm reached through the Docker Engine API. */
import { z } from "zod";
import { intInRange, oneOf } from "./rules";

export const swarmSchema = z.strictObject({
    /** Docker endpoint of a manager node (unix:// or tcp://). Default the local engine's socket. */
    host: z
        .string()
        .regex(/^(unix|tcp|ssh):\/\/.+/, { error: 'must be a Docker endpoint such as "unix:///var/run/docker.sock" or "tcp://10.0.0.5:2376"' })
        .default("unix:///var/run/docker.sock"),
    /** Registry host:port images are pushed to and every node pulls from. Default 127.0.0.1:5000. */
    registry: z
        .string()
        .regex(/^[a-z0-9.-]+(:\d{1,5})?$/, { error: 'must be a registry address such as "127.0.0.1:5000"' })
        .default("127.0.0.1:5000"),
    /** Published port of the first public service (ingress routing mesh); the next services get the following ports. Default 8080. */
    publishedPortBase: intInRange(1024, 65000).default(8080),
    /** Address at which published ports answer; used for the app URL. Default 127.0.0.1. */
    publicAddress: z.string().min(1).default("127.0.0.1"),
    /**
     * How published ports reach the tasks: "mesh" is Swarm's ingress routing mesh (needs IPVS in
     * every node's kernel); "proxy" is the program's built-in TCP proxy, one task per public
     * service on a manager, port published in host mode. Default mesh.
     */
    routing: oneOf(["mesh", "proxy"]).default("mesh"),
    /** Placement constraint of Redis, PostgreSQL (their volumes are local to one node) and the proxy. Default node.role==manager. */
    dataConstraint: z
        .string()
        .regex(/^[a-zA-Z0-9_.-]+\s*(==|!=)\s*\S+$/, { error: 'must be a Swarm placement constraint such as "node.role==manager" or "node.labels.data==true"' })
        .default("node.role==manager"),
    /** Seconds a deploy waits for every task of a service to run and be healthy. Default 300. */
    convergeTimeoutSeconds: intInRange(30, 3600).default(300),
});

export type SwarmSettings = z.output<typeof swarmSchema>;
