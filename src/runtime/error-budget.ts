// A bound on background errors shown per cell: 10,000 rejections nobody handles would otherwise be 10,000 full
// tracebacks in one output area. The first ERRORS_SHOWN are shown; the rest are counted, and one line says how
// many were not shown (each one is still in the kernel log).
import type { CellContext } from "./context.js";
import { coloured } from "../protocol/ansi.js";
import type { OutputSink } from "./output.js";
import { realSetTimeout } from "./real-timers.js";

export const ERRORS_SHOWN = 100;
const SUMMARY_DELAY_MS = 200;

interface Budget {
  shown: number;
  hidden: number;
  timer: ReturnType<typeof setTimeout> | undefined;
}

export class ErrorBudget {
  private readonly budgets = new Map<string, Budget>();

  constructor(private readonly output: OutputSink) {}

  /** Whether this cell may show one more error; counts (and later summarises) the ones it may not. */
  admit(ctx: CellContext): boolean {
    const key = ctx.parent.msg_id;
    let budget = this.budgets.get(key);
    if (!budget) {
      budget = { shown: 0, hidden: 0, timer: undefined };
      this.budgets.set(key, budget);
      if (this.budgets.size > 256) this.budgets.delete(this.budgets.keys().next().value as string);
    }
    if (budget.shown < ERRORS_SHOWN) {
      budget.shown++;
      return true;
    }
    budget.hidden++;
    const b = budget;
    b.timer ??= realSetTimeout(() => {
      b.timer = undefined;
      const n = b.hidden;
      b.hidden = 0;
      this.output.stream(ctx.parent, "stderr", `${coloured("yellow", `[tsloop] ${n} more background error${n === 1 ? "" : "s"} from this cell not shown (the first ${ERRORS_SHOWN} are above; all are in the kernel log)`)}\n`);
    }, SUMMARY_DELAY_MS);
    return false;
  }
}
