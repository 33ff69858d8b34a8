// What `tsloop grade` runs for one submission: the teacher's notebook with its exercise cells swapped for the
// student's. The teacher's notebook names the exercises (cells tagged `exercise`, each graded by the next cell
// tagged `check`); everything that is not an exercise — the setup cell that defines `check`, the lessons and
// the checks themselves — comes from the teacher's copy, so a student who edits a check still runs the
// original. Pure: notebooks in, a notebook to run and where each exercise's cells landed out.
import { type Notebook, type NotebookCell, cellSource } from "./run-notebook.js";

export interface Exercise {
  /** What the check calls it: the first argument of its `check("name", …)` call, else "exercise N". */
  name: string;
  exerciseCellId: string;
  checkCellId: string;
}

export type TeacherPlan = { ok: true; exercises: Exercise[] } | { ok: false; error: string };

const tagsOf = (cell: NotebookCell): string[] => (Array.isArray(cell.metadata.tags) ? cell.metadata.tags.filter((t): t is string => typeof t === "string") : []);
const CHECK_NAME = /\bcheck\(\s*(["'`])((?:(?!\1).)+)\1/;

/** The exercises of the teacher's notebook, each paired with the first check cell after it. */
export function teacherExercises(teacher: Notebook, source = "the teacher's notebook"): TeacherPlan {
  const exercises: Exercise[] = [];
  let open: NotebookCell | undefined;
  for (const cell of teacher.cells) {
    if (cell.cell_type !== "code") continue;
    const tags = tagsOf(cell);
    if (tags.includes("exercise")) {
      if (open) return { ok: false, error: `${source}: exercise cell ${open.id} has no cell tagged "check" before the next exercise` };
      open = cell;
    } else if (tags.includes("check")) {
      if (!open) return { ok: false, error: `${source}: check cell ${cell.id} comes before any cell tagged "exercise"` };
      const name = CHECK_NAME.exec(cellSource(cell))?.[2] ?? `exercise ${exercises.length + 1}`;
      exercises.push({ name, exerciseCellId: open.id, checkCellId: cell.id });
      open = undefined;
    }
  }
  if (open) return { ok: false, error: `${source}: exercise cell ${open.id} has no cell tagged "check" after it` };
  if (exercises.length === 0) return { ok: false, error: `${source} has no exercises: tag each exercise cell "exercise" and the cell that grades it "check"` };
  return { ok: true, exercises };
}

export interface Assembled {
  notebook: Notebook;
  /** Per exercise (in order): the 1-based cell numbers of its exercise cell (undefined: missing) and check cell. */
  cells: { exercise: number | undefined; check: number }[];
  /** Ids of the cells that run the student's code: exercises, the student's extra cells and the checks. */
  bounded: string[];
}

/** The notebook to run for one submission. `teacher` must have passed teacherExercises. */
export function assemble(teacher: Notebook, exercises: readonly Exercise[], submission: Notebook): Assembled {
  const teacherIds = new Set(teacher.cells.map((c) => c.id));
  const exerciseIds = exercises.map((e) => e.exerciseCellId);
  const studentCode = submission.cells.filter((c) => c.cell_type === "code");
  const studentExercises = studentCode.filter((c) => tagsOf(c).includes("exercise"));

  // The student's answer to each exercise: the cell with the teacher's id, else the one in the same position.
  const answers = new Map<string, NotebookCell>();
  const answerOf = new Map<string, string>(); // student cell id → teacher exercise id
  exerciseIds.forEach((id, i) => {
    const byId = studentCode.find((c) => c.id === id);
    const cell = byId ?? studentExercises[i];
    if (cell && !answerOf.has(cell.id)) {
      answers.set(id, cell);
      answerOf.set(cell.id, id);
    }
  });

  // The student's own extra code cells, each placed after the teacher cell it followed in the submission.
  const extrasAfter = new Map<string, NotebookCell[]>();
  let anchor = "";
  for (const cell of submission.cells) {
    const known = answerOf.get(cell.id) ?? (teacherIds.has(cell.id) ? cell.id : undefined);
    if (known !== undefined) {
      anchor = known;
      continue;
    }
    if (cell.cell_type !== "code" || tagsOf(cell).includes("check") || tagsOf(cell).includes("setup")) continue;
    extrasAfter.set(anchor, [...(extrasAfter.get(anchor) ?? []), cell]);
  }

  const cells: NotebookCell[] = [];
  const numbers = new Map<string, number>();
  const bounded: string[] = [...exerciseIds, ...exercises.map((e) => e.checkCellId)];
  const push = (cell: NotebookCell, id = cell.id) => {
    cells.push({ ...cell, id, outputs: cell.cell_type === "code" ? [] : cell.outputs, metadata: { ...cell.metadata } });
    numbers.set(id, cells.length);
  };
  for (const extras of extrasAfter.values()) bounded.push(...extras.map((c) => c.id));
  for (const extra of extrasAfter.get("") ?? []) push(extra);
  for (const cell of teacher.cells) {
    if (exerciseIds.includes(cell.id)) {
      const answer = answers.get(cell.id);
      if (answer) push({ ...cell, source: cellSource(answer) }, cell.id);
    } else push(cell);
    for (const extra of extrasAfter.get(cell.id) ?? []) push(extra);
  }
  return {
    notebook: { ...teacher, metadata: { ...teacher.metadata }, cells },
    cells: exercises.map((e) => ({ exercise: numbers.get(e.exerciseCellId), check: numbers.get(e.checkCellId) as number })),
    bounded,
  };
}
