// Jupyter counts cursor positions in Unicode code points; JavaScript strings index UTF-16 code units.
// Convert at the protocol edge only.

/** Code-point offset → UTF-16 offset (clamped to the string). */
export function codePointToUtf16(text: string, cursor: number): number {
  let units = 0;
  let points = 0;
  while (points < cursor && units < text.length) {
    const code = text.codePointAt(units) ?? 0;
    units += code > 0xffff ? 2 : 1;
    points++;
  }
  return units;
}

/** UTF-16 offset → code-point offset. */
export function utf16ToCodePoint(text: string, offset: number): number {
  let points = 0;
  let units = 0;
  while (units < offset && units < text.length) {
    const code = text.codePointAt(units) ?? 0;
    units += code > 0xffff ? 2 : 1;
    points++;
  }
  return points;
}
