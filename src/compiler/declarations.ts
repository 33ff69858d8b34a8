// Turns declarations into assignments to globals: binding patterns become assignment patterns, and the
// names they bind are collected (in source order, once each) for `CompiledCell.declared`.
import ts from "typescript";

const f = ts.factory;

/** The top-level value names a cell declares, deduplicated, in the order first seen. */
export class DeclaredNames {
  private readonly seen = new Set<string>();
  readonly list: string[] = [];

  add(name: ts.Identifier | string): void {
    const text = typeof name === "string" ? name : ts.idText(name);
    if (text === "" || this.seen.has(text)) return;
    this.seen.add(text);
    this.list.push(text);
  }

  addBinding(name: ts.BindingName): void {
    forEachBoundIdentifier(name, (id) => this.add(id));
  }
}

function forEachBoundIdentifier(name: ts.BindingName, fn: (id: ts.Identifier) => void): void {
  if (ts.isIdentifier(name)) {
    fn(name);
    return;
  }
  for (const element of name.elements) {
    if (!ts.isOmittedExpression(element)) forEachBoundIdentifier(element.name, fn);
  }
}

/** True when every name the binding introduces was written by the user. Names that TypeScript generated
 *  (temporaries such as `env_1` in its `using` lowering) have no parse-tree node and stay local. */
export function isUserBinding(name: ts.BindingName): boolean {
  let user = true;
  forEachBoundIdentifier(name, (id) => {
    if (ts.getParseTreeNode(id) === undefined) user = false;
  });
  return user;
}

/** `{ a, b: [c = 1, ...rest] }` (a binding pattern) → the same shape as an assignment target. */
export function toAssignmentTarget(name: ts.BindingName): ts.Expression {
  if (ts.isIdentifier(name)) return name;
  if (ts.isObjectBindingPattern(name)) {
    const properties = name.elements.map(toObjectProperty);
    return ts.setTextRange(f.createObjectLiteralExpression(properties, false), name);
  }
  const elements = name.elements.map((element) =>
    ts.isOmittedExpression(element) ? element : toArrayElement(element),
  );
  return ts.setTextRange(f.createArrayLiteralExpression(elements, false), name);
}

function toObjectProperty(element: ts.BindingElement): ts.ObjectLiteralElementLike {
  const target = toAssignmentTarget(element.name);
  let property: ts.ObjectLiteralElementLike;
  if (element.dotDotDotToken !== undefined) {
    property = f.createSpreadAssignment(target);
  } else if (element.propertyName === undefined && ts.isIdentifier(element.name)) {
    property = f.createShorthandPropertyAssignment(element.name, element.initializer);
  } else {
    const key = element.propertyName ?? (element.name as ts.Identifier);
    property = f.createPropertyAssignment(key, withDefault(target, element.initializer));
  }
  return ts.setTextRange(property, element);
}

function toArrayElement(element: ts.BindingElement): ts.Expression {
  const target = toAssignmentTarget(element.name);
  const result = element.dotDotDotToken !== undefined ? f.createSpreadElement(target) : withDefault(target, element.initializer);
  return ts.setTextRange(result, element);
}

function withDefault(target: ts.Expression, initializer: ts.Expression | undefined): ts.Expression {
  return initializer === undefined ? target : f.createAssignment(target, initializer);
}

/** `x = init` / `{ a } = init` for one declarator, or `x = void 0` for a `let` without initializer, or
 *  undefined for a `var` without one (a re-declared `var` keeps its value). */
export function declaratorToAssignment(declaration: ts.VariableDeclaration, isVar: boolean): ts.Expression | undefined {
  const value = declaration.initializer ?? (isVar ? undefined : f.createVoidZero());
  if (value === undefined) return undefined;
  return ts.setTextRange(f.createAssignment(toAssignmentTarget(declaration.name), value), declaration);
}

/** `var`, as opposed to `let`, `const`, `using` and `await using`. */
export function isVarList(list: ts.VariableDeclarationList): boolean {
  return (list.flags & ts.NodeFlags.BlockScoped) === 0;
}
