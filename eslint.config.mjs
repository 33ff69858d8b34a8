// ESLint (flat config) with typescript-eslint. The rules that matter most here need type information:
// a promise that is neither awaited nor handled (`no-floating-promises`) is how a kernel loses messages or
// sends its idle too early, and an async function passed where a void callback is expected
// (`no-misused-promises`) swallows its rejection. Both are errors in src/ and in the tests.
import { defineConfig } from "eslint/config";
import tseslint from "typescript-eslint";

export default defineConfig(
  { ignores: ["dist/**", "node_modules/**", "coverage/**", "test-artifacts/**", ".bench-peers/**", "bench/**", "notebooks/**"] },
  tseslint.configs.recommended,
  {
    files: ["src/**/*.ts", "test/**/*.ts"],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
      // The package is CommonJS: a lazy `require()` is how heavy modules load on first use, and how the runtime
      // reaches the mutable module objects of `node:timers` & co. that it patches for tracing.
      "@typescript-eslint/no-require-imports": "off",
    },
  },
  {
    // What the type checker declares for cells, written as modules so that the implementations can satisfy them
    // and emitted as .d.ts text (scripts/declarations.mjs): the idioms of declaration files are the point here —
    // ambient namespaces, a class merged with an interface, `{}` and `any` where the public API has them.
    files: ["src/runtime/declarations/*.ts"],
    rules: {
      "@typescript-eslint/no-namespace": "off",
      "@typescript-eslint/no-empty-object-type": "off",
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/no-unsafe-declaration-merging": "off",
      "@typescript-eslint/no-unused-vars": "off",
    },
  },
);
