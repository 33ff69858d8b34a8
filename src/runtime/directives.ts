// Per-cell directives: comment lines at the top of a cell that switch kernel features for that cell.
//   // @timeline        show the timeline even for little async work      // @timeline off   no timeline
//   // @warnings off    no runtime or static warnings for this cell          // @ts-nocheck     (see the interpreter)

export interface CellDirectives {
  /** "on": always show; "off": never; undefined: when the cell had async activity */
  timeline: "on" | "off" | undefined;
  warnings: boolean;
}

/** The leading comment lines of a cell (directives must come before any code). */
function leadingComments(source: string): string[] {
  const out: string[] = [];
  for (const line of source.split("\n")) {
    const t = line.trim();
    if (t === "") continue;
    if (!t.startsWith("//")) break;
    out.push(t.slice(2).trim());
  }
  return out;
}

export function cellDirectives(source: string): CellDirectives {
  let timeline: CellDirectives["timeline"];
  let warnings = true;
  for (const comment of leadingComments(source)) {
    const m = /^@(timeline|warnings)\b\s*(on|off)?/.exec(comment);
    if (!m) continue;
    if (m[1] === "timeline") timeline = m[2] === "off" ? "off" : "on";
    else warnings = m[2] !== "off";
  }
  return { timeline, warnings };
}
