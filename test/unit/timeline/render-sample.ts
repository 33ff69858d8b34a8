// Writes the teaching scenarios' timelines to one HTML page (and their text to stdout), to look at them in a
// browser: `npx ts-node --transpile-only test/unit/timeline/render-sample.ts /tmp/timeline.html`.

import { writeFileSync } from "node:fs";
import { renderHtml } from "../../../src/timeline/render-html";
import { renderText } from "../../../src/timeline/render-text";
import { blockedTimers, gatheredAwaits, manyTasks, pendingAfterCell, rejectedTask, sequentialAwaits } from "./scenarios";

const models = [sequentialAwaits(), gatheredAwaits(), blockedTimers(), pendingAfterCell().model, rejectedTask(), manyTasks(2000, 50)];
const only = process.argv[3] === undefined || process.argv[3] === "all" ? models : models.filter((m) => String(m.cell) === process.argv[3]);
const page = `<!doctype html><meta charset="utf-8"><body style="margin:12px;max-width:980px">${only.map((m) => renderHtml(m)).join("")}</body>`;
writeFileSync(process.argv[2] ?? "/tmp/timeline.html", page);
if (process.argv[4] !== "quiet") for (const m of only) process.stdout.write(renderText(m) + "\n\n");
