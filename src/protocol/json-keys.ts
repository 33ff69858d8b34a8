// JSON values with every object's keys in sorted order: the same text for the same value, whatever order its keys
// were set in (a notebook written by `tsloop run`, compiler options compared across sessions).

/** `value` with the keys of every object in it sorted (arrays keep their order). */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== "object" || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
  return out;
}
