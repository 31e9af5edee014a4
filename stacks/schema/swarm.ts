/** `platform:swarm`: a Docker Swarm reached through the Docker Engine API. */
import { z } from "zod";
import { intInRange } from "./rules";

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
});

export type SwarmSettings = z.output<typeof swarmSchema>;
