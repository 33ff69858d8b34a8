// The counts over all of one cell run's tasks, detailed and aggregated alike: how many were made, how many are
// still pending, the peak in flight (gathers not counted: they only wait for others), rejections and the longest
// life. They answer "has everything settled" and "is there anything to show", and head the model's counters.

import { isGatherKind, type TaskKind } from "./model";
import type { SettledState } from "./task-records";

export class TaskCounts {
  total = 0;
  pending = 0;
  inFlight = 0;
  peak = 0;
  rejected = 0;
  /** The longest time from creation to settling (ms). */
  longest = 0;

  created(kind: TaskKind): void {
    this.total++;
    this.pending++;
    if (!isGatherKind(kind) && ++this.inFlight > this.peak) this.peak = this.inFlight;
  }

  settled(kind: TaskKind, state: SettledState, duration: number): void {
    this.pending--;
    if (!isGatherKind(kind)) this.inFlight--;
    if (state === "rejected") this.rejected++;
    if (duration > this.longest) this.longest = duration;
  }
}
