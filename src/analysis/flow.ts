// Walks one async function (or the cell's top level) in execution order, carrying for every value the shared
// reads it was computed from (see reads.ts). An await marks all of them stale; a write of a shared variable or
// property whose value contains a stale read of that same variable or property is a lost update. Branches are
// analysed separately and joined; a loop body is walked once; nested functions are skipped (each async one is
// analysed on its own). This file walks the statements (the control flow: branches, loops, jumps, switch, try);
// expressions.ts evaluates the expressions in them.
import ts from "typescript";
import { ExpressionFlow, type StaleWrite } from "./expressions.js";
import type { Scope } from "./scan.js";
import { FlowState, NONE, type Reads } from "./reads.js";
import { type Body, destructuringTargets } from "./syntax.js";

export type { StaleWrite } from "./expressions.js";

// Read once: under a test runner, `ts` may be a proxy over the CommonJS module, slow on hot paths.
const { SyntaxKind } = ts;

/** Where `break` and `continue` paths go. */
interface Jumps {
  readonly loop: boolean;
  readonly breaks: FlowState[];
  readonly continues: FlowState[];
}

export class FunctionFlow {
  /** Evaluates the expressions, binds and stores values, and collects the stale writes. */
  private readonly values: ExpressionFlow;
  private readonly jumps: Jumps[] = [];
  readonly staleWrites: readonly StaleWrite[];

  constructor(
    file: ts.SourceFile,
    private readonly body: Body,
    scope: Scope,
  ) {
    this.values = new ExpressionFlow(file, scope);
    this.staleWrites = this.values.staleWrites;
  }

  /** Analyses the body; the result is in `staleWrites`. */
  run(): this {
    const state = FlowState.start();
    const body = this.body;
    if (ts.isSourceFile(body)) {
      this.statements(body.statements, state);
      return this;
    }
    for (const p of body.parameters) {
      this.values.bind(p.name, p.initializer === undefined ? NONE : this.values.expr(p.initializer, state), state);
    }
    if (ts.isBlock(body.body)) this.statements(body.body.statements, state);
    else this.values.expr(body.body, state);
    return this;
  }

  // ---- statements

  private statements(list: readonly ts.Statement[], s: FlowState): void {
    for (const statement of list) {
      if (s.dead) return;
      this.statement(statement, s);
    }
  }

  private statement(node: ts.Statement, s: FlowState): void {
    switch (node.kind) {
      case SyntaxKind.Block:
        return this.statements((node as ts.Block).statements, s);
      case SyntaxKind.ExpressionStatement:
        return void this.values.expr((node as ts.ExpressionStatement).expression, s);
      case SyntaxKind.VariableStatement:
        return this.declarations((node as ts.VariableStatement).declarationList, s);
      case SyntaxKind.IfStatement:
        return this.ifStatement(node as ts.IfStatement, s);
      case SyntaxKind.ReturnStatement:
      case SyntaxKind.ThrowStatement: {
        const value = (node as ts.ReturnStatement).expression;
        if (value !== undefined) this.values.expr(value, s);
        s.dead = true;
        return;
      }
      case SyntaxKind.BreakStatement:
      case SyntaxKind.ContinueStatement:
        return this.jump(node as ts.BreakOrContinueStatement, s);
      case SyntaxKind.ForStatement:
      case SyntaxKind.ForOfStatement:
      case SyntaxKind.ForInStatement:
      case SyntaxKind.WhileStatement:
      case SyntaxKind.DoStatement:
        return this.loop(node as ts.IterationStatement, s);
      case SyntaxKind.SwitchStatement:
        return this.switchStatement(node as ts.SwitchStatement, s);
      case SyntaxKind.TryStatement:
        return this.tryStatement(node as ts.TryStatement, s);
      case SyntaxKind.LabeledStatement:
        return this.statement((node as ts.LabeledStatement).statement, s);
      case SyntaxKind.WithStatement:
        this.values.expr((node as ts.WithStatement).expression, s);
        return this.statement((node as ts.WithStatement).statement, s);
      case SyntaxKind.ExportAssignment:
        return void this.values.expr((node as ts.ExportAssignment).expression, s);
      default:
      // Declarations of functions, classes, types, imports: nothing runs here.
    }
  }

  private declarations(list: ts.VariableDeclarationList, s: FlowState): void {
    for (const d of list.declarations) {
      if (d.initializer === undefined) {
        this.values.bind(d.name, NONE, s);
        continue;
      }
      this.values.bind(d.name, this.values.expr(d.initializer, s), s, d.initializer);
    }
  }

  private ifStatement(node: ts.IfStatement, s: FlowState): void {
    this.values.expr(node.expression, s);
    const whenTrue = s.clone();
    this.statement(node.thenStatement, whenTrue);
    const whenFalse = s.clone();
    if (node.elseStatement !== undefined) this.statement(node.elseStatement, whenFalse);
    s.join([whenTrue, whenFalse]);
  }

  /** The body once; the exit joins "no iteration", the end of the body, and every `break`. */
  private loop(node: ts.IterationStatement, s: FlowState): void {
    if (ts.isForStatement(node)) {
      if (node.initializer !== undefined) {
        if (ts.isVariableDeclarationList(node.initializer)) this.declarations(node.initializer, s);
        else this.values.expr(node.initializer, s);
      }
      if (node.condition !== undefined) this.values.expr(node.condition, s);
    } else if (ts.isWhileStatement(node)) {
      this.values.expr(node.expression, s);
    } else if (ts.isForOfStatement(node) || ts.isForInStatement(node)) {
      let items = this.values.expr(node.expression, s);
      const step = ts.isForOfStatement(node) ? node.awaitModifier : undefined;
      if (step !== undefined) {
        // Each step of `for await` awaits before the body runs.
        s.pending.push({ reads: items });
        s.awaitAt(this.values.lineOf(step));
        items = s.pending.pop()?.reads ?? NONE;
      }
      this.loopVariable(node.initializer, items, s);
    }
    const skipped = ts.isDoStatement(node) ? undefined : s.clone();
    const jumps: Jumps = { loop: true, breaks: [], continues: [] };
    this.jumps.push(jumps);
    this.statement(node.statement, s);
    this.jumps.pop();
    s.join([s, ...jumps.continues]);
    if (ts.isForStatement(node) && node.incrementor !== undefined && !s.dead) this.values.expr(node.incrementor, s);
    if (ts.isDoStatement(node) && !s.dead) this.values.expr(node.expression, s);
    s.join([s, ...(skipped === undefined ? [] : [skipped]), ...jumps.breaks]);
  }

  private loopVariable(initializer: ts.ForInitializer, items: Reads, s: FlowState): void {
    if (ts.isVariableDeclarationList(initializer)) {
      for (const d of initializer.declarations) this.values.bind(d.name, items, s);
    } else {
      for (const target of destructuringTargets(initializer)) this.values.store(target, items, s);
    }
  }

  private jump(node: ts.BreakOrContinueStatement, s: FlowState): void {
    const isBreak = node.kind === SyntaxKind.BreakStatement;
    const target = isBreak ? this.jumps.at(-1) : this.jumps.findLast((j) => j.loop);
    if (target !== undefined) (isBreak ? target.breaks : target.continues).push(s.clone());
    s.dead = true;
  }

  private switchStatement(node: ts.SwitchStatement, s: FlowState): void {
    this.values.expr(node.expression, s);
    const entry = s.clone();
    const jumps: Jumps = { loop: false, breaks: [], continues: [] };
    this.jumps.push(jumps);
    let fallthrough: FlowState | undefined;
    for (const clause of node.caseBlock.clauses) {
      const path = entry.clone();
      if (fallthrough !== undefined) path.join([path, fallthrough]);
      if (ts.isCaseClause(clause)) this.values.expr(clause.expression, path);
      this.statements(clause.statements, path);
      fallthrough = path;
    }
    this.jumps.pop();
    // A `continue` inside the switch belongs to an enclosing loop.
    this.jumps.findLast((j) => j.loop)?.continues.push(...jumps.continues);
    const hasDefault = node.caseBlock.clauses.some((c) => ts.isDefaultClause(c));
    s.join([...(fallthrough === undefined ? [] : [fallthrough]), ...jumps.breaks, ...(hasDefault ? [] : [entry])]);
  }

  /** The catch block may start anywhere in the try block: it starts from the join of its start and its end. */
  private tryStatement(node: ts.TryStatement, s: FlowState): void {
    const before = s.clone();
    this.statements(node.tryBlock.statements, s);
    const ends = [s.clone()];
    if (node.catchClause !== undefined) {
      const caught = before.clone();
      caught.join([before, s]);
      const variable = node.catchClause.variableDeclaration;
      if (variable !== undefined) this.values.bind(variable.name, NONE, caught);
      this.statements(node.catchClause.block.statements, caught);
      ends.push(caught);
    }
    s.join(ends);
    if (node.finallyBlock === undefined) return;
    const leaving = s.dead;
    if (leaving) s.join(ends.map((e) => Object.assign(e.clone(), { dead: false })));
    this.statements(node.finallyBlock.statements, s);
    if (leaving) s.dead = true;
  }

}
