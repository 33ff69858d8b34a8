// ANSI colour in text a frontend shows: Jupyter renders SGR escapes in tracebacks and stream text, and
// `tsloop run` / `tsloop grade` colour the terminal with the same codes. One table of codes for the whole
// kernel; stripping is Node's own `stripVTControlCharacters` (CSI and OSC sequences, hyperlinks included).
import { stripVTControlCharacters } from "node:util";

/** Each style's SGR code, and the code that ends only that style (so styles nest). */
const SGR = { bold: [1, 22], dim: [2, 22], red: [31, 39], green: [32, 39], yellow: [33, 39], cyan: [36, 39] } as const;

export type Style = keyof typeof SGR;

/** `text` in `style`, ended by the style's own off code: for terminal lines that mix styles. */
export function styled(style: Style, text: string): string {
  const [on, off] = SGR[style];
  return `\u001b[${on}m${text}\u001b[${off}m`;
}

/** `text` in `style`, ended by a full reset (ESC[0m), as IPython writes tracebacks and kernel notes. */
export function coloured(style: Style, text: string): string {
  return `\u001b[${SGR[style][0]}m${text}\u001b[0m`;
}

/** `text` without ANSI escape sequences (colours, cursor moves, hyperlinks, titles). */
export function stripAnsi(text: string): string {
  return stripVTControlCharacters(text);
}
