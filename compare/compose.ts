import type { Cloud } from "../model/targets";
/**
 * The config each target is evaluated with: the chosen environment's app stack (app, services,
 * data) on the target's block, which comes from the environment when it defines one and
 * otherwise from the target's committed stack. Pure over config maps.
 */

/** A stack's config as Pulumi hands it to the program (same shape as the test support's). */
export interface ConfigMap {
    readonly config: Record<string, string>;
    readonly secretKeys: string[];
}

/** The committed stack that holds each target's reference block. */
export const REFERENCE_STACK: Readonly<Record<Cloud, string>> = { local: "dev", aws: "staging", azure: "prod", swarm: "swarm" };

/** Keys that make up the app stack compared across targets. */
export const APP_KEYS = ["platform:app", "platform:services", "platform:data"] as const;

/** The cloud a config map selects (undefined when it sets none). */
export function cloudOf(map: ConfigMap): string | undefined {
    return map.config["platform:cloud"];
}

/**
 * The config map evaluating `env`'s app stack on `target`: `env` itself when it targets it;
 * otherwise `reference` (the target's committed stack: providers, build, policy, block) with
 * the app keys replaced by `env`'s, and `env`'s own `platform:<target>` block when it has one.
 */
export function composeTargetConfig(env: ConfigMap, target: Cloud, reference: ConfigMap): ConfigMap {
    if (cloudOf(env) === target) return env;
    const isAppKey = (key: string) => (APP_KEYS as readonly string[]).includes(key);
    const config: Record<string, string> = Object.fromEntries(Object.entries(reference.config).filter(([key]) => !isAppKey(key)));
    const secretKeys = new Set(reference.secretKeys.filter((key) => !isAppKey(key)));
    const fromEnv = [...APP_KEYS, `platform:${target}`];
    for (const key of fromEnv) {
        const value = env.config[key];
        if (value === undefined) continue;
        config[key] = value;
        if (env.secretKeys.includes(key)) secretKeys.add(key);
    }
    config["platform:cloud"] = target;
    return { config, secretKeys: [...secretKeys] };
}
