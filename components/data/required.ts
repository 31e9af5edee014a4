import type { ServiceSpec } from "../../model/app";
/** Which data endpoints a service gets: exactly the ones it needs, and an error when one is missing. */

/** Endpoints by data service, whatever their target-specific shape. */
export interface DataByKind<R, P> {
    readonly redis?: R;
    readonly postgres?: P;
}

/** The endpoints a service needs; throws naming the service when the platform lacks one. */
export function requiredData<R, P>(service: Pick<ServiceSpec, "name" | "needs">, data: DataByKind<R, P>): DataByKind<R, P> {
    if (service.needs.redis && !data.redis) throw new Error(`service ${service.name} needs redis but the platform provides none`);
    if (service.needs.postgres && !data.postgres) throw new Error(`service ${service.name} needs postgres but the platform provides none`);
    return { redis: service.needs.redis ? data.redis : undefined, postgres: service.needs.postgres ? data.postgres : undefined };
}
