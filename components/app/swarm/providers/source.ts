/**
 * The text a Swarm resource's `__provider` input carries: the dynamic-provider host loads it as a
 * CommonJS module and calls its `handler()` for the provider (the format of
 * `pulumi.dynamic.Resource`). It is built from this folder's compiled modules as they are, not
 * with Pulumi's closure serializer, whose first call in a process opens a V8 inspector session
 * that replays every loaded script (~0.3 s of every Swarm preview and up, bench/README.md).
 * The text lives in state and must run without this program: a provider module and what it
 * imports may use only Node.js built-ins and relative imports of modules that do the same.
 */
import * as fs from "fs";
import { builtinModules } from "module";
import * as path from "path";

/** The Engine API providers, by the file name of their module in this folder. */
export type ProviderKind = "network" | "secret" | "service" | "volume";

/** The swarm folder: module ids in the text are paths relative to it, so the text names no machine path. */
const ROOT = path.resolve(__dirname, "..");
const REQUIRE = /\brequire\("([^"]+)"\)/g;
const SOURCE_MAP = /^\/\/# sourceMappingURL=.*$/gm;
const texts = new Map<ProviderKind, string>();

function moduleId(file: string): string {
    return path.relative(ROOT, file).split(path.sep).join("/");
}

/** Compiled modules reachable from `entry` through relative requires, by id, with those requires turned into `load(id)`. */
function collect(entry: string, into: Map<string, string>): void {
    const id = moduleId(entry);
    if (into.has(id)) return;
    into.set(id, "");
    const code = fs
        .readFileSync(entry, "utf8")
        .replace(SOURCE_MAP, "")
        .replace(REQUIRE, (call: string, request: string) => {
            if (!request.startsWith(".")) {
                const builtin = request.startsWith("node:") || builtinModules.includes(request);
                if (!builtin) throw new Error(`${id} requires ${request}: a provider kept in state may import only Node.js built-ins`);
                return call;
            }
            const target = `${path.resolve(path.dirname(entry), request)}.js`;
            collect(target, into);
            return `load(${JSON.stringify(moduleId(target))})`;
        });
    into.set(id, code);
}

/**
 * The module text of the provider `kind` (`exports.handler = function () { … return provider; }`),
 * built once per process from `./<kind>.js` and the modules it imports; the same build always
 * gives the same text.
 */
export function providerSource(kind: ProviderKind): string {
    const cached = texts.get(kind);
    if (cached !== undefined) return cached;
    const modules = new Map<string, string>();
    const entry = path.join(__dirname, `${kind}.js`);
    collect(entry, modules);
    const table = [...modules].map(([id, code]) => `${JSON.stringify(id)}: function (exports, module, load) {\n${code.trim()}\n}`);
    const text = [
        "exports.handler = function () {",
        `var modules = {\n${table.join(",\n")}\n};`,
        "var loaded = {};",
        "function load(id) {",
        "    if (loaded[id] === undefined) {",
        "        loaded[id] = { exports: {} };",
        "        modules[id](loaded[id].exports, loaded[id], load);",
        "    }",
        "    return loaded[id].exports;",
        "}",
        `return load(${JSON.stringify(moduleId(entry))}).${kind}Provider;`,
        "};",
        "",
    ].join("\n");
    texts.set(kind, text);
    return text;
}
