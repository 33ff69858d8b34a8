// Links the warnings a cell produced (model.warnings) to the rows they are about: the task named by the warning,
// else a task created at the warning's line (a forgotten await prefers a task nobody awaited, then a never-awaited
// call of the function it quotes). Warnings that match no task stay linked to their line only.

import type { Task, TimelineModel, TimelineWarning } from "./model";

/** Task id → the warnings drawn on its row. */
export function warningsByTask(model: TimelineModel): Map<number, TimelineWarning[]> {
  const out = new Map<number, TimelineWarning[]>();
  for (const w of model.warnings ?? []) {
    const task = warningTask(model, w);
    if (task === undefined) continue;
    const list = out.get(task.id);
    if (list === undefined) out.set(task.id, [w]);
    else list.push(w);
  }
  return out;
}

/** The task a warning is about, if the model has it. */
export function warningTask(model: TimelineModel, w: TimelineWarning): Task | undefined {
  if (w.taskId !== undefined) {
    const byId = model.tasks.find((t) => t.id === w.taskId);
    if (byId !== undefined) return byId;
  }
  if (w.line === undefined) return undefined;
  const atLine = model.tasks.filter((t) => t.line === w.line);
  if (w.kind !== "floating-promise") return atLine[0];
  const unawaited = atLine.find((t) => t.flags.neverAwaited === true) ?? atLine[0];
  if (unawaited !== undefined) return unawaited;
  // A call's task carries its function's line, not the call's: match a never-awaited call of the function the
  // warning quotes (`the promise of \`later()\` …`).
  return model.tasks.find((t) => {
    const name = /^([\w$.]+)\(/.exec(t.label)?.[1];
    return t.flags.neverAwaited === true && name !== undefined && w.message.includes(`\`${name}(`);
  });
}
