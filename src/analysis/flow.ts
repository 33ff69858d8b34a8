// Walks one async function (or the cell's top level) in execution order, carrying for every value the shared
// reads it was computed from (see reads.ts). An await marks all of them stale; a write of a shared variable or
// property whose value contains a stale read of that same variable or property is a lost update. Branches are
// analysed separately and joined; a loop body is walked once; nested functions are skipped (each async one is
// analysed on its own).
import ts from "typescript";
import type { Binding, Scope } from "./scan.js";
import { FlowState, NONE, type Read, type Reads, union } from "./reads.js";
import {
  type Body,
  accessKey,
  accessRoot,
  boundNames,
  destructuringTargets,
  isAssignment,
  isLogicalAssignment,
  unwrap,
} from "./syntax.js";

// Read once: under a test runner, `ts` may be a proxy over the CommonJS module, slow on hot paths.
const { SyntaxKind } = ts;

/** A write from a stale read: what `findLostUpdates` turns into a warning. */
export interface StaleWrite {
  readonly read: Read & { readonly awaitLine: number };
  readonly target: ts.Expression;
}

/** Where `break` and `continue` paths go. */
interface Jumps {
  readonly loop: boolean;
  readonly breaks: FlowState[];
  readonly continues: FlowState[];
}

export class FunctionFlow {
  private readonly bindings: ReadonlyMap<string, Binding>;
  /** The shared keys this function writes somewhere: only their reads are worth tracking. */
  private readonly written = new Set<string>();
  private readonly jumps: Jumps[] = [];
  readonly staleWrites: StaleWrite[] = [];

  constructor(
    private readonly file: ts.SourceFile,
    private readonly body: Body,
    scope: Scope,
  ) {
    this.bindings = scope.bindings;
    for (const target of scope.targets) {
      const key = accessKey(target);
      if (key !== undefined && this.isShared(target, key)) this.written.add(key);
    }
  }

  /** Analyses the body; the result is in `staleWrites`. */
  run(): this {
    const state = FlowState.start();
    const body = this.body;
    if (ts.isSourceFile(body)) {
      this.statements(body.statements, state);
      return this;
    }
    for (const p of body.parameters) this.bind(p.name, p.initializer === undefined ? NONE : this.expr(p.initializer, state), state);
    if (ts.isBlock(body.body)) this.statements(body.body.statements, state);
    else this.expr(body.body, state);
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
        return void this.expr((node as ts.ExpressionStatement).expression, s);
      case SyntaxKind.VariableStatement:
        return this.declarations((node as ts.VariableStatement).declarationList, s);
      case SyntaxKind.IfStatement:
        return this.ifStatement(node as ts.IfStatement, s);
      case SyntaxKind.ReturnStatement:
      case SyntaxKind.ThrowStatement: {
        const value = (node as ts.ReturnStatement).expression;
        if (value !== undefined) this.expr(value, s);
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
        this.expr((node as ts.WithStatement).expression, s);
        return this.statement((node as ts.WithStatement).statement, s);
      case SyntaxKind.ExportAssignment:
        return void this.expr((node as ts.ExportAssignment).expression, s);
      default:
      // Declarations of functions, classes, types, imports: nothing runs here.
    }
  }

  private declarations(list: ts.VariableDeclarationList, s: FlowState): void {
    for (const d of list.declarations) {
      if (d.initializer === undefined) {
        this.bind(d.name, NONE, s);
        continue;
      }
      this.bind(d.name, this.expr(d.initializer, s), s, d.initializer);
    }
  }

  /** Gives the names of a binding the value `reads`; `{ total } = obj` also reads `obj.total`. */
  private bind(name: ts.BindingName, reads: Reads, s: FlowState, source?: ts.Expression): void {
    if (ts.isIdentifier(name)) return s.setLocal(name.text, reads);
    const sourceKey = source !== undefined && ts.isObjectBindingPattern(name) ? accessKey(source) : undefined;
    for (const element of name.elements) {
      if (ts.isOmittedExpression(element)) continue;
      let value = reads;
      if (sourceKey !== undefined && element.dotDotDotToken === undefined && source !== undefined) {
        const property = element.propertyName ?? element.name;
        if (ts.isIdentifier(property) && this.isShared(source, `${sourceKey}.${property.text}`)) {
          value = union(value, this.readOf(`${sourceKey}.${property.text}`, element));
        }
      }
      if (element.initializer !== undefined) value = union(value, this.expr(element.initializer, s));
      if (ts.isIdentifier(element.name)) s.setLocal(element.name.text, value);
      else for (const n of boundNames(element.name)) s.setLocal(n, value);
    }
  }

  private ifStatement(node: ts.IfStatement, s: FlowState): void {
    this.expr(node.expression, s);
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
        else this.expr(node.initializer, s);
      }
      if (node.condition !== undefined) this.expr(node.condition, s);
    } else if (ts.isWhileStatement(node)) {
      this.expr(node.expression, s);
    } else if (ts.isForOfStatement(node) || ts.isForInStatement(node)) {
      let items = this.expr(node.expression, s);
      const step = ts.isForOfStatement(node) ? node.awaitModifier : undefined;
      if (step !== undefined) {
        // Each step of `for await` awaits before the body runs.
        s.pending.push({ reads: items });
        s.awaitAt(this.lineOf(step));
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
    if (ts.isForStatement(node) && node.incrementor !== undefined && !s.dead) this.expr(node.incrementor, s);
    if (ts.isDoStatement(node) && !s.dead) this.expr(node.expression, s);
    s.join([s, ...(skipped === undefined ? [] : [skipped]), ...jumps.breaks]);
  }

  private loopVariable(initializer: ts.ForInitializer, items: Reads, s: FlowState): void {
    if (ts.isVariableDeclarationList(initializer)) {
      for (const d of initializer.declarations) this.bind(d.name, items, s);
    } else {
      for (const target of destructuringTargets(initializer)) this.store(target, items, s);
    }
  }

  private jump(node: ts.BreakOrContinueStatement, s: FlowState): void {
    const isBreak = node.kind === SyntaxKind.BreakStatement;
    const target = isBreak ? this.jumps.at(-1) : this.jumps.findLast((j) => j.loop);
    if (target !== undefined) (isBreak ? target.breaks : target.continues).push(s.clone());
    s.dead = true;
  }

  private switchStatement(node: ts.SwitchStatement, s: FlowState): void {
    this.expr(node.expression, s);
    const entry = s.clone();
    const jumps: Jumps = { loop: false, breaks: [], continues: [] };
    this.jumps.push(jumps);
    let fallthrough: FlowState | undefined;
    for (const clause of node.caseBlock.clauses) {
      const path = entry.clone();
      if (fallthrough !== undefined) path.join([path, fallthrough]);
      if (ts.isCaseClause(clause)) this.expr(clause.expression, path);
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
      if (variable !== undefined) this.bind(variable.name, NONE, caught);
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

  // ---- expressions: each returns the reads its value is computed from

  private expr(node: ts.Expression, s: FlowState): Reads {
    switch (node.kind) {
      case SyntaxKind.Identifier:
        return this.identifier(node as ts.Identifier, s);
      case SyntaxKind.PropertyAccessExpression:
        return union(this.expr((node as ts.PropertyAccessExpression).expression, s), this.sharedRead(node));
      case SyntaxKind.ElementAccessExpression: {
        const e = node as ts.ElementAccessExpression;
        return union(this.sequence(s, [e.expression, e.argumentExpression]), this.sharedRead(node));
      }
      case SyntaxKind.AwaitExpression:
        return this.awaitExpr(node as ts.AwaitExpression, s);
      case SyntaxKind.BinaryExpression:
        return this.binary(node as ts.BinaryExpression, s);
      case SyntaxKind.ConditionalExpression:
        return this.conditional(node as ts.ConditionalExpression, s);
      case SyntaxKind.CallExpression:
      case SyntaxKind.NewExpression: {
        const call = node as ts.CallExpression | ts.NewExpression;
        return this.sequence(s, [call.expression, ...(call.arguments ?? [])]);
      }
      case SyntaxKind.PrefixUnaryExpression:
      case SyntaxKind.PostfixUnaryExpression: {
        const u = node as ts.PrefixUnaryExpression | ts.PostfixUnaryExpression;
        const value = this.expr(u.operand, s);
        if (u.operator === SyntaxKind.PlusPlusToken || u.operator === SyntaxKind.MinusMinusToken) this.store(u.operand, value, s);
        return value;
      }
      case SyntaxKind.ObjectLiteralExpression:
        return this.objectLiteral(node as ts.ObjectLiteralExpression, s);
      case SyntaxKind.ArrayLiteralExpression:
        return this.sequence(s, (node as ts.ArrayLiteralExpression).elements);
      case SyntaxKind.TemplateExpression:
        return this.sequence(s, spansOf(node as ts.TemplateExpression));
      case SyntaxKind.TaggedTemplateExpression: {
        const tagged = node as ts.TaggedTemplateExpression;
        return this.sequence(s, [tagged.tag, ...(ts.isTemplateExpression(tagged.template) ? spansOf(tagged.template) : [])]);
      }
      case SyntaxKind.ParenthesizedExpression:
      case SyntaxKind.SpreadElement:
      case SyntaxKind.NonNullExpression:
      case SyntaxKind.AsExpression:
      case SyntaxKind.SatisfiesExpression:
      case SyntaxKind.TypeAssertionExpression:
      case SyntaxKind.TypeOfExpression:
      case SyntaxKind.VoidExpression:
      case SyntaxKind.DeleteExpression:
        return this.expr((node as ts.ParenthesizedExpression).expression, s);
      case SyntaxKind.YieldExpression: {
        const operand = (node as ts.YieldExpression).expression;
        return operand === undefined ? NONE : this.expr(operand, s);
      }
      default:
        // Functions and classes are values whose code runs later; literals, `this`, `super` read nothing shared.
        return NONE;
    }
  }

  private identifier(node: ts.Identifier, s: FlowState): Reads {
    const local = this.bindings.has(node.text) ? s.local(node.text) : NONE;
    return this.isShared(node, node.text) ? union(local, this.readOf(node.text, node)) : local;
  }

  /** The read of a shared property (`obj.total`), if the function also writes it. */
  private sharedRead(node: ts.Expression): Reads {
    const key = accessKey(node);
    return key !== undefined && this.isShared(node, key) ? this.readOf(key, node) : NONE;
  }

  private readOf(key: string, node: ts.Node): Reads {
    return this.written.has(key) ? [{ key, readLine: this.lineOf(node), awaitLine: undefined }] : NONE;
  }

  private awaitExpr(node: ts.AwaitExpression, s: FlowState): Reads {
    const slot = { reads: this.expr(node.expression, s) };
    s.pending.push(slot);
    s.awaitAt(this.lineOf(node));
    s.pending.pop();
    return slot.reads;
  }

  /** Evaluates `parts` left to right; earlier results stay pending, so an await in a later part makes them stale. */
  private sequence(s: FlowState, parts: readonly ts.Expression[]): Reads {
    const slot = { reads: NONE };
    s.pending.push(slot);
    for (const part of parts) {
      const reads = this.expr(part, s);
      slot.reads = union(slot.reads, reads);
    }
    s.pending.pop();
    return slot.reads;
  }

  private binary(node: ts.BinaryExpression, s: FlowState): Reads {
    const op = node.operatorToken.kind;
    if (isAssignment(op)) return this.assignment(node, s);
    if (op === SyntaxKind.CommaToken) {
      this.expr(node.left, s);
      return this.expr(node.right, s);
    }
    if (op === SyntaxKind.AmpersandAmpersandToken || op === SyntaxKind.BarBarToken || op === SyntaxKind.QuestionQuestionToken) {
      const slot = { reads: this.expr(node.left, s) };
      s.pending.push(slot);
      const evaluated = s.clone();
      const right = this.expr(node.right, evaluated);
      s.join([s, evaluated]);
      s.pending.pop();
      return union(slot.reads, right);
    }
    return this.sequence(s, [node.left, node.right]);
  }

  private conditional(node: ts.ConditionalExpression, s: FlowState): Reads {
    const slot = { reads: this.expr(node.condition, s) };
    s.pending.push(slot);
    const whenTrue = s.clone();
    const a = this.expr(node.whenTrue, whenTrue);
    const whenFalse = s.clone();
    const b = this.expr(node.whenFalse, whenFalse);
    s.join([whenTrue, whenFalse]);
    s.pending.pop();
    return union(slot.reads, union(a, b));
  }

  private objectLiteral(node: ts.ObjectLiteralExpression, s: FlowState): Reads {
    const parts: ts.Expression[] = [];
    for (const p of node.properties) {
      if (p.name !== undefined && ts.isComputedPropertyName(p.name)) parts.push(p.name.expression);
      if (ts.isPropertyAssignment(p)) parts.push(p.initializer);
      else if (ts.isShorthandPropertyAssignment(p)) parts.push(p.name);
      else if (ts.isSpreadAssignment(p)) parts.push(p.expression);
    }
    return this.sequence(s, parts);
  }

  /**
   * `target = value`, `target op= value`: the target's object is evaluated first, then (for `op=`) the old
   * value is read, then the right side; `&&=`, `||=`, `??=` write only the right side.
   */
  private assignment(node: ts.BinaryExpression, s: FlowState): Reads {
    const op = node.operatorToken.kind;
    const left = unwrap(node.left);
    if (op === SyntaxKind.EqualsToken && (ts.isArrayLiteralExpression(left) || ts.isObjectLiteralExpression(left))) {
      const value = this.expr(node.right, s);
      for (const target of destructuringTargets(left)) this.store(target, value, s);
      return value;
    }
    if (ts.isPropertyAccessExpression(left)) this.expr(left.expression, s);
    else if (ts.isElementAccessExpression(left)) this.sequence(s, [left.expression, left.argumentExpression]);
    const old = op === SyntaxKind.EqualsToken ? NONE : this.current(left, s);
    if (isLogicalAssignment(op)) {
      const assigned = s.clone();
      const value = this.expr(node.right, assigned);
      this.store(left, value, assigned);
      s.join([s, assigned]);
      return union(old, value);
    }
    const slot = { reads: old };
    s.pending.push(slot);
    const right = this.expr(node.right, s);
    s.pending.pop();
    const value = union(slot.reads, right);
    this.store(left, value, s);
    return value;
  }

  /** The reads behind a target's current value, without evaluating its object again. */
  private current(target: ts.Expression, s: FlowState): Reads {
    if (ts.isIdentifier(target)) return this.identifier(target, s);
    return this.sharedRead(target);
  }

  /** Writes `value` to `target`: a local takes it over; a shared one is checked for stale reads of itself. */
  private store(target: ts.Expression, value: Reads, s: FlowState): void {
    const t = unwrap(target);
    if (ts.isIdentifier(t) && this.bindings.has(t.text)) s.setLocal(t.text, value);
    const key = accessKey(t);
    if (key === undefined || s.dead || !this.isShared(t, key)) return;
    let stale: (Read & { awaitLine: number }) | undefined;
    for (const read of value) {
      if (read.key !== key || read.awaitLine === undefined) continue;
      // The latest read before the write; for equal reads, the first await after it.
      if (stale === undefined || read.readLine > stale.readLine || (read.readLine === stale.readLine && read.awaitLine < stale.awaitLine)) {
        stale = { ...read, awaitLine: read.awaitLine };
      }
    }
    if (stale !== undefined) this.staleWrites.push({ read: stale, target: t });
  }

  // ---- scope

  /**
   * Whether other tasks may change what `key` names while this function waits: a variable declared outside it,
   * or declared here and assigned by a nested function; a property of an object that was not made here, or
   * that a nested function can reach.
   */
  private isShared(node: ts.Expression, key: string): boolean {
    const root = accessRoot(node);
    if (root === undefined) return false;
    if (root === "this") return true;
    const binding = this.bindings.get(root.text);
    if (binding === undefined) return true;
    if (key === root.text) return binding.reassignedElsewhere && !binding.constant;
    return binding.captured || !binding.fresh;
  }

  private lineOf(node: ts.Node): number {
    return this.file.getLineAndCharacterOfPosition(node.getStart(this.file)).line + 1;
  }
}

function spansOf(template: ts.TemplateExpression): ts.Expression[] {
  return template.templateSpans.map((span) => span.expression);
}
