/** `platform:swarm`: a Docker Swarm reached through the Docker Engine API. */
import { z } from "zod";
import { dockerEndpoint, hostAddress, intInRange, oneOf } from "./rules";

export const swarmSchema = z.strictObject({
    // ssh:// is refused here, not at the first API call: the program's Engine client speaks only
    // to a unix socket or plain TCP.
    host: dockerEndpoint(["unix", "tcp"], "unix:///var/run/docker.sock")
        .default("unix:///var/run/docker.sock")
        .describe(
            "Docker Engine API of a manager node, through which every object is created; the client supports neither TLS client certificates nor ssh://, so tunnel to a unix socket instead.",
        ),
    registry: z
        .string({ error: 'must be a registry address such as "127.0.0.1:5000"' })
        .regex(/^[a-z0-9.-]+(:\d{1,5})?$/, { error: 'must be a registry address such as "127.0.0.1:5000"' })
        .default("127.0.0.1:5000")
        .describe(
            "Registry the images are pushed to and every node pulls from, under the same name and trusted by each node (anonymous push and pull).",
        ),
    publishedPortBase: intInRange(1024, 65000)
        .default(8080)
        .describe(
            "Published port of the first public service; the next public services get the following ports, which must be free and open on the nodes.",
        ),
    publicAddress: hostAddress()
        .default("127.0.0.1")
        .describe(
            "Address at which published ports answer (a node, or a load balancer in front; with routing proxy, the proxy's node); used for the app URL.",
        ),
    routing: oneOf(["mesh", "proxy"])
        .default("mesh")
        .describe(
            "How published ports reach the tasks: mesh is Swarm's ingress routing mesh (needs IPVS in every node's kernel); proxy is the program's built-in TCP proxy, one task per public service on the dataConstraint node, port published in host mode.",
        ),
    dataConstraint: z
        .string({ error: 'must be a Swarm placement constraint such as "node.role==manager" or "node.labels.data==true"' })
        .regex(/^[a-zA-Z0-9_.-]+\s*(==|!=)\s*\S+$/, {
            error: 'must be a Swarm placement constraint such as "node.role==manager" or "node.labels.data==true"',
        })
        .default("node.role==manager")
        .describe("Placement constraint of Redis, PostgreSQL (their volumes are local to one node) and the proxy."),
    convergeTimeoutSeconds: intInRange(30, 3600)
        .default(300)
        .describe("Seconds a create or update waits for every task of a service to run and be healthy."),
});
