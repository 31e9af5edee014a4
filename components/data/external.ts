/** An existing PostgreSQL the stack only connects to (`platform:data.postgres.external`). */
import type * as pulumi from "@pulumi/pulumi";
import type { ExternalPostgres } from "../../model/targets";
import type { PostgresEndpoint } from "../cluster/platform";

/**
 * The endpoint of an external PostgreSQL. Its address is not known to the cluster, so the
 * app's egress is opened on the PostgreSQL port only, to any address.
 */
export function externalPostgresEndpoint(settings: ExternalPostgres, password: pulumi.Output<string>): PostgresEndpoint {
    return {
        host: settings.host,
        port: settings.port,
        database: settings.database,
        user: settings.user,
        password,
        sslMode: settings.sslMode,
        peer: { kind: "cidrs", cidrs: ["0.0.0.0/0"], port: settings.port },
    };
}
