// How every `tsloop` subcommand reads its command line: `--name=value` or `--name value` for the options that take
// a value, flags alone, `--` ends the options, a lone `-` is an argument. Pure; each subcommand gives the tokens their
// meaning. Results as values: an error says which option was wrong and how.

export interface OptionToken {
  /** The option's name as written (`--output`, `-o`), without an `=value` part. */
  name: string;
  value: string | undefined;
}

/** One command-line word in order: an option (with its value) or a positional argument. */
export type ArgToken = { kind: "option"; option: OptionToken; arg: string } | { kind: "positional"; arg: string };

export type Tokenized = { ok: true; tokens: ArgToken[] } | { ok: false; error: string };

export function tokenizeArgs(args: readonly string[], valueOptions: ReadonlySet<string>): Tokenized {
  const tokens: ArgToken[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === "--") {
      for (const rest of args.slice(i + 1)) tokens.push({ kind: "positional", arg: rest });
      break;
    }
    if (!arg.startsWith("-") || arg === "-") {
      tokens.push({ kind: "positional", arg });
      continue;
    }
    let name = arg;
    let value: string | undefined;
    const eq = arg.indexOf("=");
    if (arg.startsWith("--") && eq > 0) {
      name = arg.slice(0, eq);
      value = arg.slice(eq + 1);
    }
    if (valueOptions.has(name) && value === undefined) {
      value = args[i + 1];
      if (value === undefined) return { ok: false, error: `${name} expects a value` };
      i++;
    } else if (!valueOptions.has(name) && value !== undefined) {
      return { ok: false, error: `${name} takes no value, got ${JSON.stringify(value)}` };
    }
    tokens.push({ kind: "option", option: { name, value }, arg });
  }
  return { ok: true, tokens };
}
