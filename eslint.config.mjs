// ESLint: typescript-eslint strict + type-aware rules, and the house rules of DESIGN.md that a
// linter can hold (no `any`, no root imports of the big cloud SDKs).
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
    { ignores: ["bin/**", "node_modules/**", "app/**", "**/*.js", "**/*.mjs", ".platform/**", "test-artifacts/**"] },
    js.configs.recommended,
    ...tseslint.configs.strictTypeChecked,
    {
        languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
        rules: {
            "@typescript-eslint/no-explicit-any": "error",
            // Root imports of these SDKs double type-check time and add hundreds of ms at start.
            "no-restricted-imports": [
                "error",
                {
                    paths: [
                        { name: "@pulumi/aws", message: "Import a submodule, e.g. @pulumi/aws/eks (root imports double type-check time)." },
                        { name: "@pulumi/azure-native", message: "Import a submodule, e.g. @pulumi/azure-native/containerservice (root imports double type-check time)." },
                    ],
                },
            ],
            "@typescript-eslint/restrict-template-expressions": ["error", { allowNumber: true }],
            "@typescript-eslint/no-floating-promises": "error",
            "@typescript-eslint/no-unnecessary-condition": "off",
        },
    },
    {
        files: ["test/**/*.ts"],
        rules: {
            // Mocha's describe/it callbacks are idiomatic; assertions on promises are awaited explicitly.
            "@typescript-eslint/no-non-null-assertion": "off",
        },
    },
);
