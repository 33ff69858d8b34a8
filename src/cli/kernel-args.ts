// The command line of `tsloop kernel` (what a kernelspec's argv gives it): the connection file, as `-f FILE`,
// `--connection-file FILE` or a lone `*.json` argument, and the cell language. Options it does not know are
// left alone, as before: a Jupyter server may pass more than tsloop reads. Pure, so that it is tested as a table.
import type { CellLanguage } from "../interpreter/backends.js";
import { tokenizeArgs } from "./arg-tokens.js";

export type ParsedKernelArgs = { ok: true; connectionFile: string; language: CellLanguage } | { ok: false; error: string };

const VALUE_OPTIONS = new Set(["-f", "--connection-file", "--language"]);

export function parseKernelArgs(args: readonly string[]): ParsedKernelArgs {
  const tokenized = tokenizeArgs(args, VALUE_OPTIONS);
  if (!tokenized.ok) return tokenized;
  let connectionFile: string | undefined;
  let language: CellLanguage = "typescript";
  for (const token of tokenized.tokens) {
    if (token.kind === "positional") {
      if (connectionFile === undefined && token.arg.endsWith(".json")) connectionFile = token.arg;
      continue;
    }
    const { name, value } = token.option;
    if (name === "-f" || name === "--connection-file") connectionFile = value;
    else if (name === "--language") {
      if (value !== "typescript" && value !== "javascript") return { ok: false, error: `--language expects typescript or javascript, got ${JSON.stringify(value)}` };
      language = value;
    }
  }
  if (!connectionFile) return { ok: false, error: "expected -f CONNECTION_FILE" };
  return { ok: true, connectionFile, language };
}
