// ESLint: typescript-eslint strict + type-aware rules, and the house rules of DESIGN.md that a
// linter can hold (no `any`, no root imports of the big cloud SDKs).
import js from "@eslint/js";
import tseslint from "typescript-eslint";

// Root imports of these SDKs double type-check time and add hundreds of ms at start.
const SDK_ROOTS = [
    { name: "@pulumi/aws", message: "Import a submodule, e.g. @pulumi/aws/eks (root imports double type-check time)." },
    {
        name: "@pulumi/azure-native",
        message: "Import a submodule, e.g. @pulumi/azure-native/containerservice (root imports double type-check time).",
    },
];

/** no-restricted-imports with the SDK roots and a layer's own patterns (a later block replaces, never merges, a rule's options). */
const restrictedImports = (patterns) => ["error", { paths: SDK_ROOTS, patterns }];

// The layers point one way (docs/architecture.md): model <- stacks <- index; model <- components.
// Nothing but tests imports tests: the shared mocks, stack runner and engine helpers live in harness/.
const NO_TESTS = { group: ["**/test", "**/test/**"], message: "Tooling never imports tests: shared helpers go in harness/." };
const LAYER_RULES = [
    { files: ["**/*.ts"], ignores: ["test/**"], patterns: [NO_TESTS] },
    {
        files: ["components/**/*.ts"],
        patterns: [
            NO_TESTS,
            {
                group: ["**/stacks", "**/stacks/**"],
                message: "Components take typed args from model/; the config edge (stacks/) is above them, not below.",
            },
        ],
    },
    {
        files: ["model/**/*.ts"],
        patterns: [
            NO_TESTS,
            { group: ["@pulumi/*", "zod"], message: "model/ is plain TypeScript: no Pulumi and no zod, so every layer can use it." },
            { group: ["**/stacks", "**/stacks/**", "**/components", "**/components/**"], message: "model/ imports nothing of the project but model/." },
        ],
    },
];

export default tseslint.config(
    { ignores: ["bin/**", "node_modules/**", "app/**", "**/*.js", "**/*.mjs", ".platform/**", "test-artifacts/**"] },
    js.configs.recommended,
    ...tseslint.configs.strictTypeChecked,
    {
        languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
        rules: {
            "@typescript-eslint/no-explicit-any": "error",
            // Root imports of these SDKs double type-check time and add hundreds of ms at start.
            "no-restricted-imports": restrictedImports([]),
            "@typescript-eslint/restrict-template-expressions": ["error", { allowNumber: true }],
            "@typescript-eslint/no-floating-promises": "error",
            "@typescript-eslint/no-unnecessary-condition": "off",
        },
    },
    ...LAYER_RULES.map(({ files, ignores, patterns }) => ({
        files,
        ...(ignores ? { ignores } : {}),
        rules: { "no-restricted-imports": restrictedImports(patterns) },
    })),
    {
        files: ["test/**/*.ts"],
        rules: {
            // Mocha's describe/it callbacks are idiomatic; assertions on promises are awaited explicitly.
            "@typescript-eslint/no-non-null-assertion": "off",
        },
    },
);
