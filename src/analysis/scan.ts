// One walk over a cell's parse tree that finds the async functions to analyse and, for each function (and the
// cell's top level), the names it declares and whether other tasks can reach them: a variable that a nested
// function assigns can change while this one waits; an object that a nested function refers to, or that was
// not made here (a parameter, a value from a call or from another variable), may be shared. Syntax only, no
// type checker: a name declared anywhere in a function counts for the whole function, as if block scopes did
// not shadow.
import ts from "typescript";
import { type Body, boundNames, destructuringTargets, isAssignment, isAsync, isBoundary, isFunctionWithBody, isReference, unwrap } from "./syntax.js";

// Read once: under a test runner, `ts` may be a proxy over the CommonJS module, slow on hot paths.
const { forEachChild, SyntaxKind } = ts;

export interface Binding {
  /** `const`, an import, a function or a class: never reassigned. */
  readonly constant: boolean;
  /** A nested function or class refers to it, so code running at other times can reach the object it holds. */
  readonly captured: boolean;
  /** A nested function or class assigns it, so code running at other times can change the variable itself. */
  readonly reassignedElsewhere: boolean;
  /** Every value it is given is made here (a literal, `new`, a function or class), none passed in. */
  readonly fresh: boolean;
}

export interface Scope {
  readonly bindings: ReadonlyMap<string, Binding>;
  /** What this function's own code assigns to: assignment targets, `++`/`--` operands, `for (x of …)` heads. */
  readonly targets: readonly ts.Expression[];
}

export interface CellScan {
  /** The cell, then its async functions in source order (except callbacks run under a lock). */
  readonly bodies: readonly Body[];
  readonly scopes: ReadonlyMap<ts.Node, Scope>;
}

/** Callees that run their callback under a lock: `runExclusive`, `withLock`, `locks.request`, `mutex.acquire`. */
const LOCKING_CALLEE = /lock|mutex|exclusive|semaphore|synchroni[sz]ed/i;

interface FreeNames {
  readonly used: readonly string[];
  readonly assigned: readonly string[];
}

type DeclKind = "var" | "let" | "const" | "param" | "catch" | "import" | "function" | "class";

export function scanCell(file: ts.SourceFile): CellScan {
  const bodies: Body[] = [file];
  const scopes = new Map<ts.Node, Scope>();
  const locked = new Set<ts.Node>();

  /** Collects the scope of `root`, nested functions first; returns the names it uses or assigns but does not declare. */
  const collect = (root: ts.Node): FreeNames => {
    const kinds = new Map<string, DeclKind>();
    /** Names some of whose values are not made here (or are unknown, as in destructuring). */
    const passedIn = new Set<string>();
    const refs = new Set<string>();
    const nestedRefs = new Set<string>();
    const nestedWrites = new Set<string>();
    const targets: ts.Expression[] = [];
    const declare = (name: string, kind: DeclKind): void => {
      if (!kinds.has(name) || kind === "var" || kind === "let") kinds.set(name, kind);
    };
    const given = (name: string, value: ts.Expression | undefined): void => {
      if (value !== undefined && !isMadeHere(value)) passedIn.add(name);
    };

    let parent: ts.Node = root;
    const visit = (node: ts.Node): void => {
      switch (node.kind) {
        case SyntaxKind.Identifier:
          if (isReference(node as ts.Identifier, parent)) refs.add((node as ts.Identifier).text);
          return;
        case SyntaxKind.InterfaceDeclaration:
        case SyntaxKind.TypeAliasDeclaration:
          return;
        case SyntaxKind.VariableDeclarationList: {
          const list = node as ts.VariableDeclarationList;
          const kind = listKind(list);
          // `x` in `for (const x of xs)` takes its values from elsewhere.
          const looped = parent.kind === SyntaxKind.ForOfStatement || parent.kind === SyntaxKind.ForInStatement;
          for (const d of list.declarations) {
            for (const name of boundNames(d.name)) {
              declare(name, kind);
              if (!ts.isIdentifier(d.name) || looped) passedIn.add(name);
            }
            if (ts.isIdentifier(d.name)) given(d.name.text, d.initializer);
          }
          break;
        }
        case SyntaxKind.CatchClause: {
          const variable = (node as ts.CatchClause).variableDeclaration;
          for (const name of variable === undefined ? [] : boundNames(variable.name)) {
            declare(name, "catch");
            passedIn.add(name);
          }
          break;
        }
        case SyntaxKind.Parameter:
          for (const name of boundNames((node as ts.ParameterDeclaration).name)) {
            declare(name, "param");
            passedIn.add(name);
          }
          break;
        case SyntaxKind.ImportClause:
        case SyntaxKind.NamespaceImport:
        case SyntaxKind.ImportSpecifier:
        case SyntaxKind.ImportEqualsDeclaration: {
          const name = (node as ts.ImportClause).name;
          if (name !== undefined) declare(name.text, "import");
          break;
        }
        case SyntaxKind.EnumDeclaration:
        case SyntaxKind.ModuleDeclaration: {
          const name = (node as ts.EnumDeclaration).name;
          if (ts.isIdentifier(name)) declare(name.text, "const");
          break;
        }
        case SyntaxKind.BinaryExpression: {
          const b = node as ts.BinaryExpression;
          if (!isAssignment(b.operatorToken.kind)) break;
          const left = unwrap(b.left);
          if (ts.isIdentifier(left)) {
            given(left.text, b.operatorToken.kind === SyntaxKind.EqualsToken ? b.right : undefined);
            targets.push(left);
          } else {
            for (const target of destructuringTargets(left)) {
              if (ts.isIdentifier(target)) passedIn.add(target.text);
              targets.push(target);
            }
          }
          break;
        }
        case SyntaxKind.PrefixUnaryExpression:
        case SyntaxKind.PostfixUnaryExpression: {
          const u = node as ts.PrefixUnaryExpression;
          if (u.operator === SyntaxKind.PlusPlusToken || u.operator === SyntaxKind.MinusMinusToken) targets.push(u.operand);
          break;
        }
        case SyntaxKind.ForOfStatement:
        case SyntaxKind.ForInStatement: {
          const head = (node as ts.ForOfStatement).initializer;
          if (!ts.isVariableDeclarationList(head)) {
            for (const target of destructuringTargets(head)) {
              if (ts.isIdentifier(target)) passedIn.add(target.text);
              targets.push(target);
            }
          }
          break;
        }
        case SyntaxKind.CallExpression:
        case SyntaxKind.NewExpression:
          markLockedCallbacks(node as ts.CallExpression, file, locked);
          break;
        default:
          if (node !== root && isBoundary(node)) {
            if ((ts.isFunctionDeclaration(node) || ts.isClassDeclaration(node)) && node.name !== undefined) {
              declare(node.name.text, ts.isFunctionDeclaration(node) ? "function" : "class");
            }
            if (isFunctionWithBody(node) && isAsync(node) && !locked.has(node)) bodies.push(node);
            const free = collect(node);
            for (const name of free.used) nestedRefs.add(name);
            for (const name of free.assigned) nestedWrites.add(name);
            return;
          }
          if (ts.isTypeNode(node)) return;
      }
      const saved = parent;
      parent = node;
      forEachChild(node, visit);
      parent = saved;
    };

    if (ts.isFunctionExpression(root) && root.name !== undefined) declare(root.name.text, "function");
    forEachChild(root, visit);

    const bindings = new Map<string, Binding>();
    for (const [name, kind] of kinds) {
      bindings.set(name, {
        constant: kind === "const" || kind === "import" || kind === "function" || kind === "class",
        captured: nestedRefs.has(name),
        reassignedElsewhere: nestedWrites.has(name),
        fresh: kind !== "param" && kind !== "catch" && kind !== "import" && !passedIn.has(name),
      });
    }
    scopes.set(root, { bindings, targets });
    const undeclared = (names: Iterable<string>): string[] => [...names].filter((name) => !kinds.has(name));
    const assigned = targets.flatMap((t) => (ts.isIdentifier(t) ? [t.text] : []));
    return { used: undeclared([...refs, ...nestedRefs]), assigned: undeclared([...assigned, ...nestedWrites]) };
  };

  collect(file);
  return { bodies, scopes };
}

/** Async functions passed straight to a call whose callee mentions a lock are taken to run exclusively. */
function markLockedCallbacks(call: ts.CallExpression | ts.NewExpression, file: ts.SourceFile, locked: Set<ts.Node>): void {
  const callbacks = call.arguments?.filter((a) => isFunctionWithBody(a) && isAsync(a)) ?? [];
  if (callbacks.length === 0 || !LOCKING_CALLEE.test(call.expression.getText(file))) return;
  for (const callback of callbacks) locked.add(callback);
}

function listKind(list: ts.VariableDeclarationList): DeclKind {
  if ((list.flags & ts.NodeFlags.Let) !== 0) return "let";
  if ((list.flags & (ts.NodeFlags.Const | ts.NodeFlags.Using | ts.NodeFlags.AwaitUsing)) !== 0) return "const";
  return "var";
}

/** A value that is a new object (or a primitive) made right here. */
function isMadeHere(value: ts.Expression): boolean {
  switch (unwrap(value).kind) {
    case SyntaxKind.ObjectLiteralExpression:
    case SyntaxKind.ArrayLiteralExpression:
    case SyntaxKind.NewExpression:
    case SyntaxKind.FunctionExpression:
    case SyntaxKind.ArrowFunction:
    case SyntaxKind.ClassExpression:
    case SyntaxKind.NumericLiteral:
    case SyntaxKind.BigIntLiteral:
    case SyntaxKind.StringLiteral:
    case SyntaxKind.NoSubstitutionTemplateLiteral:
    case SyntaxKind.TemplateExpression:
    case SyntaxKind.RegularExpressionLiteral:
    case SyntaxKind.TrueKeyword:
    case SyntaxKind.FalseKeyword:
    case SyntaxKind.NullKeyword:
      return true;
    default:
      return false;
  }
}
