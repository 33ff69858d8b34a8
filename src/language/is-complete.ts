// is_complete_request from TypeScript's parser: code whose only syntax errors sit at its very end (an unclosed
// brace, bracket, paren, comment or template literal, a trailing operator) waits for more input; an error
// anywhere else is one that more input cannot fix.
import ts from "typescript";
import { oneFileProgram } from "./one-file-program.js";
import type { IsCompleteReply } from "../protocol/messages.js";

const INDENT_UNIT = "  ";
const FILE = "/__tsloop_is_complete.mts";

/** TS1002 "Unterminated string literal.": a string cannot continue on the next line. */
const UNTERMINATED_STRING = 1002;
/** TS1160 "Unterminated template literal." */
const UNTERMINATED_TEMPLATE = 1160;
/** TS17008 "JSX element 'div' has no corresponding closing tag." (reported at the opening tag) */
const UNCLOSED_JSX = 17008;

export function isComplete(code: string, jsx = false): IsCompleteReply {
  if (code.trim() === "") return { status: "complete" };
  const fileName = jsx ? FILE.replace(/\.mts$/, ".tsx") : FILE;
  const errors = syntaxErrors(code, fileName);
  if (errors.length === 0) return { status: "complete" };
  const end = code.trimEnd().length;
  const atEnd = errors.every((e) => ((e.start ?? 0) >= end && e.code !== UNTERMINATED_STRING) || e.code === UNCLOSED_JSX);
  if (!atEnd) return { status: "invalid" };
  if (errors.some((e) => e.code === UNTERMINATED_TEMPLATE)) return { status: "incomplete", indent: "" };
  return { status: "incomplete", indent: nextIndent(code, jsx) };
}

/** The parser's diagnostics of `code` alone: a one-file program with no libraries and no resolution. */
function syntaxErrors(code: string, fileName: string): readonly ts.Diagnostic[] {
  const file = ts.createSourceFile(fileName, code, ts.ScriptTarget.Latest, false);
  const program = oneFileProgram(file);
  return program.getSyntacticDiagnostics(file);
}

/** The last line's indentation, one unit deeper when that line opens more brackets than it closes or ends with an operator. */
function nextIndent(code: string, jsx: boolean): string {
  const lines = code.split(/\r\n|[\n\r\u2028\u2029]/);
  const last = lines.findLast((l) => l.trim() !== "") ?? "";
  const indent = /^[ \t]*/.exec(last)?.[0] ?? "";
  const { opened, lastToken } = scanLastLine(last, jsx);
  const continues = opened > 0 || isOperator(lastToken);
  return continues ? indent + INDENT_UNIT : indent;
}

function scanLastLine(line: string, jsx: boolean): { opened: number; lastToken: ts.SyntaxKind } {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, jsx ? ts.LanguageVariant.JSX : ts.LanguageVariant.Standard, line);
  let opened = 0;
  let lastToken = ts.SyntaxKind.Unknown;
  for (let token = scanner.scan(); token !== ts.SyntaxKind.EndOfFileToken; token = scanner.scan()) {
    if (token === ts.SyntaxKind.OpenBraceToken || token === ts.SyntaxKind.OpenBracketToken || token === ts.SyntaxKind.OpenParenToken) opened++;
    if (token === ts.SyntaxKind.CloseBraceToken || token === ts.SyntaxKind.CloseBracketToken || token === ts.SyntaxKind.CloseParenToken) opened--;
    lastToken = token;
  }
  return { opened, lastToken };
}

function isOperator(token: ts.SyntaxKind): boolean {
  return (
    (token >= ts.SyntaxKind.FirstBinaryOperator && token <= ts.SyntaxKind.LastBinaryOperator) ||
    token === ts.SyntaxKind.EqualsGreaterThanToken ||
    token === ts.SyntaxKind.QuestionToken ||
    token === ts.SyntaxKind.ColonToken ||
    token === ts.SyntaxKind.DotToken
  );
}
