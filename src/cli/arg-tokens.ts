// How every `tsloop` subcommand reads its command line: Node's `util.parseArgs` splits it into tokens —
// `--name=value` or `--name value` for the options that take a value, `-o value` and `-ovalue` for short ones,
// flags alone or grouped (`-qh`), `--` ends the options, a lone `-` is an argument — and each subcommand gives
// the tokens their meaning. Pure. Results as values: an error says which option was wrong and how.
import { parseArgs } from "node:util";

export interface OptionToken {
  /** The option's name as written (`--output`, `-o`), without an `=value` part. */
  name: string;
  value: string | undefined;
}

/** One command-line word in order: an option (with its value) or a positional argument. */
export type ArgToken = { kind: "option"; option: OptionToken; arg: string } | { kind: "positional"; arg: string };

export type Tokenized = { ok: true; tokens: ArgToken[] } | { ok: false; error: string };

/** Tokens of `args`; `valueOptions` names the options that take a value, as written (`-o`, `--output`). */
export function tokenizeArgs(args: readonly string[], valueOptions: ReadonlySet<string>): Tokenized {
  // parseArgs keys options by name without dashes: a one-letter key is what `-x` finds when no long option
  // claims it. Options not declared come through as flags (strict: false), so each command says what is unknown.
  const options = Object.fromEntries([...valueOptions].map((name) => [name.replace(/^--?/, ""), { type: "string" as const }]));
  const parsed = parseArgs({ args: [...args], options, strict: false, allowPositionals: true, tokens: true });
  const tokens: ArgToken[] = [];
  for (const token of parsed.tokens) {
    if (token.kind === "positional") tokens.push({ kind: "positional", arg: token.value });
    if (token.kind !== "option") continue;
    const name = token.rawName;
    const value = token.value;
    const takesValue = valueOptions.has(name);
    // `--o x` when only `-o` takes a value: parseArgs matched the key "o"; for us it is no option at all.
    if (!takesValue && Object.hasOwn(options, token.name)) return { ok: false, error: `unknown option ${name}` };
    if (takesValue && value === undefined) return { ok: false, error: `${name} expects a value` };
    if (!takesValue && value !== undefined) return { ok: false, error: `${name} takes no value, got ${JSON.stringify(value)}` };
    tokens.push({ kind: "option", option: { name, value }, arg: token.inlineValue ? `${name}=${value}` : name });
  }
  return { ok: true, tokens };
}
