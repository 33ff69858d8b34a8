// The expressions of the lost-update analysis (flow.ts walks the statements around them): each is evaluated in
// execution order and returns the shared reads its value is computed from; an await marks every pending read
// stale; a write of a shared variable or property is checked for a stale read of itself. Also what decides which
// names are shared (other tasks may change them while the function waits).
import ts from "typescript";
import type { Binding, Scope } from "./scan.js";
import { type FlowState, NONE, type Read, type Reads, union } from "./reads.js";
import { accessKey, accessRoot, boundNames, destructuringTargets, isAssignment, isLogicalAssignment, unwrap } from "./syntax.js";

// Read once: under a test runner, `ts` may be a proxy over the CommonJS module, slow on hot paths.
const { SyntaxKind } = ts;

/** A write from a stale read: what `findLostUpdates` turns into a warning. */
export interface StaleWrite {
  readonly read: Read & { readonly awaitLine: number };
  readonly target: ts.Expression;
}

export class ExpressionFlow {
  private readonly bindings: ReadonlyMap<string, Binding>;
  /** The shared keys this function writes somewhere: only their reads are worth tracking. */
  private readonly written = new Set<string>();
  readonly staleWrites: StaleWrite[] = [];

  constructor(
    private readonly file: ts.SourceFile,
    scope: Scope,
  ) {
    this.bindings = scope.bindings;
    for (const target of scope.targets) {
      const key = accessKey(target);
      if (key !== undefined && this.isShared(target, key)) this.written.add(key);
    }
  }

  /** Gives the names of a binding the value `reads`; `{ total } = obj` also reads `obj.total`. */
  bind(name: ts.BindingName, reads: Reads, s: FlowState, source?: ts.Expression): void {
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

  // ---- expressions: each returns the reads its value is computed from

  expr(node: ts.Expression, s: FlowState): Reads {
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
  store(target: ts.Expression, value: Reads, s: FlowState): void {
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

  lineOf(node: ts.Node): number {
    return this.file.getLineAndCharacterOfPosition(node.getStart(this.file)).line + 1;
  }
}

function spansOf(template: ts.TemplateExpression): ts.Expression[] {
  return template.templateSpans.map((span) => span.expression);
}
