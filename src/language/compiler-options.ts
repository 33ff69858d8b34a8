// Compiler options for the notebook's language service: a fixed base (strict, Node ESM resolution, Node's
// globals) plus the few settings of the nearest tsconfig.json that make sense for notebook cells.
import { dirname, join } from "node:path";
import ts from "typescript";

export interface SessionCompilerOptions {
  options: ts.CompilerOptions;
  /** the tsconfig.json whose settings were honoured, if one was found in cwd or above */
  configFile: string | undefined;
  /** problems reading that tsconfig.json, as readable sentences */
  warnings: string[];
}

/** tsconfig settings a notebook honours; module format, emit and file lists stay the kernel's. */
const HONOURED = [
  "strict",
  "noImplicitAny",
  "strictNullChecks",
  "strictFunctionTypes",
  "strictBindCallApply",
  "strictPropertyInitialization",
  "strictBuiltinIteratorReturn",
  "noImplicitThis",
  "useUnknownInCatchVariables",
  "alwaysStrict",
  "noImplicitReturns",
  "noImplicitOverride",
  "noFallthroughCasesInSwitch",
  "noUncheckedIndexedAccess",
  "noPropertyAccessFromIndexSignature",
  "exactOptionalPropertyTypes",
  "noUnusedLocals",
  "noUnusedParameters",
  "allowUnreachableCode",
  "allowUnusedLabels",
  "skipLibCheck",
  "lib",
  "target",
  "paths",
  "baseUrl",
  "pathsBasePath", // set by parseJsonConfigFileContent: the folder `paths` are relative to
  "ignoreDeprecations",
  "jsx",
  "jsxFactory",
  "jsxFragmentFactory",
  "jsxImportSource",
  "experimentalDecorators",
  "emitDecoratorMetadata",
  "useDefineForClassFields",
  "esModuleInterop",
  "allowSyntheticDefaultImports",
  "resolveJsonModule",
  "allowJs",
  "allowArbitraryExtensions",
  "customConditions",
] as const;

/** Top-level await needs at least ES2017; older targets are raised to the default. */
const MIN_TARGET = ts.ScriptTarget.ES2017;

/** The session's options: the base, then honoured settings from the nearest tsconfig.json. */
export function sessionCompilerOptions(cwd: string): SessionCompilerOptions {
  const options: ts.CompilerOptions = {
    strict: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    moduleDetection: ts.ModuleDetectionKind.Force,
    lib: ["lib.esnext.d.ts"],
    types: ["node"],
    skipLibCheck: true,
    esModuleInterop: true,
    resolveJsonModule: true,
    allowImportingTsExtensions: true,
    // Nothing is written: declarations of committed cells come from getEmitOutput(…, forceDtsEmit).
    noEmit: true,
  };
  const warnings: string[] = [];
  const configFile = ts.findConfigFile(cwd, (f) => ts.sys.fileExists(f), "tsconfig.json");
  if (configFile !== undefined) {
    const user = readUserOptions(configFile, warnings);
    for (const key of HONOURED) {
      const value = user[key];
      if (value !== undefined) options[key as string] = value;
    }
    if (user.types !== undefined) options.types = [...new Set(["node", ...user.types])];
    if (user.typeRoots !== undefined) options.typeRoots = [...user.typeRoots];
    if ((options.target ?? MIN_TARGET) < MIN_TARGET) options.target = ts.ScriptTarget.ES2022;
    if (options.baseUrl !== undefined && options.ignoreDeprecations === undefined) options.ignoreDeprecations = "6.0";
  }
  options.typeRoots = [...(options.typeRoots ?? []), ...defaultTypeRoots(cwd)];
  return { options, configFile, warnings };
}

function readUserOptions(configFile: string, warnings: string[]): ts.CompilerOptions {
  const read = ts.readConfigFile(configFile, (f) => ts.sys.readFile(f));
  if (read.error !== undefined) {
    warnings.push(`${configFile}: ${ts.flattenDiagnosticMessageText(read.error.messageText, "\n")}`);
    return {};
  }
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, dirname(configFile), undefined, configFile);
  for (const error of parsed.errors) {
    if (error.code === NO_INPUTS_FOUND) continue; // the notebook's cells are not files the config lists
    warnings.push(`${configFile}: ${ts.flattenDiagnosticMessageText(error.messageText, "\n")}`);
  }
  return parsed.options;
}

/** TS18003 "No inputs were found in config file" */
const NO_INPUTS_FOUND = 18003;

/**
 * `node_modules/@types` folders from cwd upwards (TypeScript's default), then the kernel's own, so that
 * `@types/node` is found even when the notebook's folder has no node_modules.
 */
function defaultTypeRoots(cwd: string): string[] {
  const roots: string[] = [];
  for (let dir = cwd; ; dir = dirname(dir)) {
    const candidate = join(dir, "node_modules", "@types");
    if (ts.sys.directoryExists(candidate)) roots.push(candidate);
    if (dirname(dir) === dir) break;
  }
  const kernelTypes = kernelTypesRoot();
  if (kernelTypes !== undefined && !roots.includes(kernelTypes)) roots.push(kernelTypes);
  return roots;
}

function kernelTypesRoot(): string | undefined {
  try {
    // @types/node has no `exports`, so its package.json resolves from the kernel's own node_modules.
    return dirname(dirname(require.resolve("@types/node/package.json")));
  } catch {
    return undefined;
  }
}
