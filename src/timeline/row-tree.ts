// The display tree of a timeline's tasks: a task sits beneath the gather it is a child of, else beneath the task
// that created it; the cell body's tasks, unknown parents and anything that would close a cycle are roots.

import { CELL_TASK, type Task } from "./model";

export interface Node {
  task: Task;
  /** Siblings with the same key fold together: kind and label. */
  key: string;
  children: Node[];
}

export function countNodes(nodes: Node[]): number {
  let n = 0;
  for (const c of nodes) n += 1 + countNodes(c.children);
  return n;
}

/** Display parent: the gather a task is a child of, else its creator; cycles are broken, unknown ids go to the root. */
export function buildTree(tasks: Task[]): Node[] {
  const nodes = new Map<number, Node>();
  for (const t of tasks) nodes.set(t.id, { task: t, key: t.kind + "\u0000" + t.label, children: [] });
  const roots: Node[] = [];
  for (const t of tasks) {
    const node = nodes.get(t.id) as Node;
    const parent = parentOf(t, nodes);
    if (parent === undefined || createsCycle(node, parent, nodes)) roots.push(node);
    else parent.children.push(node);
  }
  return roots;
}

function parentOf(t: Task, nodes: Map<number, Node>): Node | undefined {
  if (t.gatheredBy !== undefined && nodes.has(t.gatheredBy)) return nodes.get(t.gatheredBy);
  if (t.parentId !== undefined && t.parentId !== CELL_TASK) return nodes.get(t.parentId);
  return undefined;
}

// Tasks are attached in id order, so a cycle shows as the proposed parent's own ancestry reaching `node`.
function createsCycle(node: Node, parent: Node, nodes: Map<number, Node>): boolean {
  let p: Node | undefined = parent;
  for (let guard = 0; p !== undefined && guard < 10_000; guard++) {
    if (p === node) return true;
    p = parentOf(p.task, nodes);
  }
  return false;
}
