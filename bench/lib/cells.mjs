// Table cells: a measured number with the text it shows, or a word saying why there is no number (missing,
// wedged, died, failed). Figures build rows of these; the report turns them into tables.

/** A measured value; `text` defaults to the formatted value. */
export function measured(value, format, note) {
  const text = format(value) + (note ? ` ${note}` : "");
  return { value, text };
}

/** No number: the reason instead (wedged, missing, …). `value` may still carry a number for context. */
export function problem(text, value) {
  return { value: undefined, text, problem: true, ...(value === undefined ? {} : { context: value }) };
}

/** A row of the main table. `lowerIsBetter` rows get tsloop / peer ratio columns. */
export function row(figure, label, cells, extra = {}) {
  return { figure, label, cells, lowerIsBetter: true, ...extra };
}

/** The first line of an error message, short enough for a table. */
export function reason(err) {
  const text = err instanceof Error ? err.message : String(err);
  return text.split("\n")[0].slice(0, 120);
}

/** A value measured on the units done before the kernel failed: the value, and how far it got. */
export function partial(value, format, done, total, why) {
  return { value, text: `${format(value)} (${done} of ${total}, then ${why})`, partial: true };
}
