// Validates widget states against the model spec that @jupyter-widgets/schema ships for the current release line
// (jupyterwidgetmodels.latest.json: every attribute of every core model, its type, default, enum and nullability),
// and checks the module versions against the constants of the @jupyter-widgets packages installed from npm.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";

interface AttributeSpec {
  name: string;
  type: string | string[];
  default: unknown;
  allow_none?: boolean;
  enum?: unknown[];
  items?: { type: string; widget?: string };
  widget?: string;
}
interface ModelSpecJson {
  model: { module: string; name: string; version: string };
  view: { module: string; name: string | null; version: string };
  attributes: AttributeSpec[];
}

const packageDir = (name: string) => dirname(require.resolve(`${name}/package.json`));

export const MODEL_SPECS: ModelSpecJson[] = JSON.parse(readFileSync(join(packageDir("@jupyter-widgets/schema"), "jupyterwidgetmodels.latest.json"), "utf8")) as ModelSpecJson[];

/** A version constant from an installed package's source, e.g. JUPYTER_CONTROLS_VERSION. */
export function packageConstant(pkg: string, file: string, name: string): string {
  const text = readFileSync(join(packageDir(pkg), file), "utf8");
  const match = new RegExp(`${name}\\s*=\\s*'([^']+)'`).exec(text);
  if (!match?.[1]) throw new Error(`${name} not found in ${pkg}/${file}`);
  return match[1];
}

/** The installed packages' versions of the three widget modules and of the protocol. */
export function installedVersions() {
  return {
    controls: packageConstant("@jupyter-widgets/controls", "lib/version.js", "JUPYTER_CONTROLS_VERSION"),
    base: packageConstant("@jupyter-widgets/base", "lib/version.js", "JUPYTER_WIDGETS_VERSION"),
    protocol: packageConstant("@jupyter-widgets/base", "lib/version.js", "PROTOCOL_VERSION"),
    output: packageConstant("@jupyter-widgets/output", "lib/output.js", "OUTPUT_WIDGET_VERSION"),
  };
}

/** Whether the controls package's own source defines this model and view name. */
export function controlsDefines(model: string, view: string | null): boolean {
  const dir = join(packageDir("@jupyter-widgets/controls"), "lib");
  const sources = require("node:fs")
    .readdirSync(dir)
    .filter((f: string) => f.endsWith(".js"))
    .map((f: string) => readFileSync(join(dir, f), "utf8"))
    .join("\n");
  return sources.includes(`_model_name: '${model}'`) && (view === null || view === "StyleView" || sources.includes(`_view_name: '${view}'`));
}

export function specFor(modelName: string, moduleName: string): ModelSpecJson | undefined {
  return MODEL_SPECS.find((m) => m.model.name === modelName && m.model.module === moduleName);
}

/**
 * Problems with one widget state: model/view identity and versions, every attribute of the spec present with
 * the right type, no unknown keys, and `IPY_MODEL_` references pointing at opened widgets of the right model.
 */
export function validateState(state: Record<string, unknown>, opened: ReadonlyMap<string, Record<string, unknown>>): string[] {
  const problems: string[] = [];
  const modelName = String(state._model_name);
  const spec = specFor(modelName, String(state._model_module));
  if (!spec) return [`no model ${modelName} in module ${String(state._model_module)} in the schema`];
  const expect = (key: string, value: unknown) => {
    if (state[key] !== value) problems.push(`${modelName}.${key}: expected ${JSON.stringify(value)}, got ${JSON.stringify(state[key])}`);
  };
  expect("_model_module_version", spec.model.version);
  expect("_view_module", spec.view.module);
  expect("_view_name", spec.view.name);
  expect("_view_module_version", spec.view.version);
  const known = new Set(spec.attributes.map((a) => a.name));
  for (const key of Object.keys(state)) if (!known.has(key)) problems.push(`${modelName}: unknown key ${key}`);
  for (const attr of spec.attributes) {
    if (!(attr.name in state)) {
      problems.push(`${modelName}: missing ${attr.name}`);
      continue;
    }
    const why = typeProblem(attr, state[attr.name], opened);
    if (why) problems.push(`${modelName}.${attr.name}: ${why}`);
  }
  return problems;
}

function typeProblem(attr: AttributeSpec, value: unknown, opened: ReadonlyMap<string, Record<string, unknown>>): string | undefined {
  if (value === null) return attr.allow_none ? undefined : "null but not nullable";
  if (attr.enum && !attr.enum.includes(value)) return `${JSON.stringify(value)} not in ${JSON.stringify(attr.enum)}`;
  const types = Array.isArray(attr.type) ? attr.type : [attr.type];
  const ok = types.some((type) => {
    switch (type) {
      case "int":
        return Number.isInteger(value);
      case "float":
        return typeof value === "number" && Number.isFinite(value);
      case "bool":
        return typeof value === "boolean";
      case "string":
        return typeof value === "string";
      case "reference":
        return referenceProblem(value, attr.widget, opened) === undefined;
      case "array":
        return Array.isArray(value) && value.every((item) => itemOk(item, attr.items, opened));
      default:
        return false;
    }
  });
  if (ok) return undefined;
  if (types.includes("reference")) return referenceProblem(value, attr.widget, opened);
  return `${JSON.stringify(value)} is not of type ${types.join(" | ")}`;
}

function itemOk(item: unknown, items: AttributeSpec["items"], opened: ReadonlyMap<string, Record<string, unknown>>): boolean {
  if (!items) return true;
  if (items.type === "reference") return referenceProblem(item, items.widget, opened) === undefined;
  if (items.type === "string") return typeof item === "string";
  if (items.type === "object") return typeof item === "object" && item !== null;
  return true;
}

function referenceProblem(value: unknown, widget: string | undefined, opened: ReadonlyMap<string, Record<string, unknown>>): string | undefined {
  if (typeof value !== "string" || !value.startsWith("IPY_MODEL_")) return `${JSON.stringify(value)} is not an IPY_MODEL_ reference`;
  const target = opened.get(value.slice("IPY_MODEL_".length));
  if (!target) return `${value} refers to no widget opened before it`;
  if (widget && widget !== "Widget" && target._model_name !== `${widget}Model`) return `${value} is a ${String(target._model_name)}, expected ${widget}Model`;
  return undefined;
}
