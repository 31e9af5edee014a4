/**
 * Node-pool size keys shared by the cloud targets, named as Pulumi's own templates name them
 * (minClusterSize, maxClusterSize, desiredClusterSize) so users feel at home.
 */
import type { z } from "zod";
import { intInRange } from "./rules";

/** The three size fields with their defaults (2, 4, 2). */
export const clusterSizeShape = {
    minClusterSize: intInRange(1, 100).default(2),
    maxClusterSize: intInRange(1, 100).default(4),
    desiredClusterSize: intInRange(1, 100).default(2),
};

interface ClusterSize {
    minClusterSize: number;
    maxClusterSize: number;
    desiredClusterSize: number;
}

/** Cross-field rule: min <= desired <= max, reported on the field a user should change. */
export function checkClusterSize(ctx: z.core.ParsePayload<ClusterSize>): void {
    const { minClusterSize: min, maxClusterSize: max, desiredClusterSize: desired } = ctx.value;
    if (max < min) {
        ctx.issues.push({
            code: "custom",
            path: ["maxClusterSize"],
            input: max,
            message: `must be an integer from 1 to 100 and >= minClusterSize (${min})`,
        });
    } else if (desired < min || desired > max) {
        ctx.issues.push({
            code: "custom",
            path: ["desiredClusterSize"],
            input: desired,
            message: `must be between minClusterSize (${min}) and maxClusterSize (${max})`,
        });
    }
}
