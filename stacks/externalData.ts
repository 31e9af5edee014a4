/** The data services the stack only connects to, as endpoints the deployers hand the app. */
import type { PostgresEndpoint } from "../components/cluster/platform";
import { externalPostgresEndpoint } from "../components/data/external";
import type { LoadedConfig } from "./config";

/**
 * The external PostgreSQL (`platform:data.postgres.external`) with its secret password, which
 * the edge requires whenever the block is set; undefined when the config names none.
 */
export function externalPostgres(loaded: LoadedConfig): PostgresEndpoint | undefined {
    const external = loaded.config.data.postgres.external;
    const password = loaded.secrets.postgresPassword;
    return external && password ? externalPostgresEndpoint(external, password) : undefined;
}
