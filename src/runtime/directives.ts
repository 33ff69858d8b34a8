// What the runtime does with a cell's directives (`// @timeline off`, `// @warnings off`…). It never reads them
// from the cell's text: they come with the run request, in the plan the cell compiler read (src/session/plan.ts).
import type { CellDirectives } from "../session/plan.js";

/** How a cell's timeline shows: "always" for `// @timeline`, "auto" (when the cell had async activity) unless
 *  timelines are off for the session (`tsloop.timelines(false)`, TSLOOP_TIMELINE=off) or for the cell
 *  (`// @timeline off`): undefined, no timeline. */
export function timelineMode(directives: CellDirectives, sessionEnabled: boolean): "always" | "auto" | undefined {
  if (directives.timeline === "off") return undefined;
  if (directives.timeline === "on") return "always";
  return sessionEnabled ? "auto" : undefined;
}

/** Whether runtime and static warnings are shown for a cell: on for the session (`tsloop.warnings(false)` turns
 *  them off) and not `// @warnings off`. */
export function showsWarnings(directives: CellDirectives, sessionWarnings: boolean): boolean {
  return sessionWarnings && directives.warnings;
}
