/**
 * Schema diagnostics: stable codes, positions, and rendering as text (with a code frame) or JSON.
 * Codes never change meaning once published; scripts and docs refer to them.
 */
import { codeFrameColumns } from "@babel/code-frame";
import type { Span } from "./model.js";

export type Severity = "error" | "warning";

export interface Related {
  message: string;
  span: Span;
}

export interface Diagnostic {
  code: DiagnosticCode;
  severity: Severity;
  message: string;
  span: Span;
  related: Related[];
}

/** Every diagnostic code with a one-line title; docs/schema.md lists the same table. */
export const DIAGNOSTIC_CODES = {
  SIG001: "syntax error",
  SIG002: "import cannot be read",
  SIG003: "import cycle",
  SIG004: "bad protocol header",
  SIG010: "unknown type",
  SIG011: "duplicate name",
  SIG012: "duplicate message number",
  SIG013: "duplicate field name",
  SIG014: "duplicate field number",
  SIG015: "field number is reserved",
  SIG016: "field name is reserved",
  SIG017: "message number is reserved",
  SIG018: "field numbers must run from 1 without gaps (reserve a gap explicitly)",
  SIG019: "number out of range",
  SIG020: "request without a reply",
  SIG021: "reply reference is not a reply message",
  SIG022: "a reply cannot name a reply",
  SIG023: "reply answers no request",
  SIG030: "unknown annotation",
  SIG031: "bad annotation arguments",
  SIG032: "duplicate annotation",
  SIG033: "annotation not allowed here",
  SIG040: "duplicate error code",
  SIG041: "unknown retry class",
  SIG050: "bad base type",
  SIG051: "value out of range for its base type",
  SIG052: "duplicate member",
  SIG060: "constant does not match its type",
  SIG070: "bad service method",
  SIG080: "bad map key type",
  SIG081: "bad type construction",
  SIG082: "alias cycle",
  SIG090: "bad reserved range",
  SIG091: "struct contains itself",
} as const;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;

export function diag(
  code: DiagnosticCode,
  message: string,
  span: Span,
  related: Related[] = [],
  severity: Severity = "error",
): Diagnostic {
  return { code, severity, message, span, related };
}

export function hasErrors(diags: readonly Diagnostic[]): boolean {
  return diags.some((d) => d.severity === "error");
}

/** Sorted by file, then position, so output is stable whatever order the checks ran in. */
export function sortDiagnostics(diags: readonly Diagnostic[]): Diagnostic[] {
  return [...diags].sort(
    (a, b) =>
      a.span.file.localeCompare(b.span.file) ||
      a.span.offset - b.span.offset ||
      a.code.localeCompare(b.code),
  );
}

/**
 * Renders diagnostics the way compilers do: `file:line:col: error SIG012: message`, a code frame
 * with a caret under the span, then each related location as a note with its own frame.
 * `sources` maps a span's file to its text; a missing text just omits the frame.
 */
export function renderDiagnostics(
  diags: readonly Diagnostic[],
  sources: ReadonlyMap<string, string>,
): string {
  const out: string[] = [];
  for (const d of sortDiagnostics(diags)) {
    out.push(`${where(d.span)}: ${d.severity} ${d.code}: ${d.message}`);
    out.push(frame(d.span, sources));
    for (const r of d.related) {
      out.push(`${where(r.span)}: note: ${r.message}`);
      out.push(frame(r.span, sources));
    }
  }
  const errors = diags.filter((d) => d.severity === "error").length;
  const warnings = diags.length - errors;
  if (diags.length > 0) out.push(`${plural(errors, "error")}, ${plural(warnings, "warning")}`);
  return out.filter((s) => s !== "").join("\n") + (out.length ? "\n" : "");
}

export function diagnosticsToJson(diags: readonly Diagnostic[]): string {
  return JSON.stringify(sortDiagnostics(diags), null, 2) + "\n";
}

/**
 * Spans name files relative to the schema root; users want paths relative to where they stand.
 * Returns the diagnostics and sources with `prefix` put before every file name.
 */
export function relocateDiagnostics(
  diags: readonly Diagnostic[],
  sources: ReadonlyMap<string, string>,
  prefix: string,
): { diagnostics: Diagnostic[]; sources: Map<string, string> } {
  const move = (s: Span): Span => ({ ...s, file: prefix + s.file });
  return {
    diagnostics: diags.map((d) => ({
      ...d,
      span: move(d.span),
      related: d.related.map((r) => ({ ...r, span: move(r.span) })),
    })),
    sources: new Map([...sources].map(([k, v]) => [prefix + k, v])),
  };
}

function where(s: Span): string {
  return `${s.file}:${s.line}:${s.col}`;
}

function frame(span: Span, sources: ReadonlyMap<string, string>): string {
  const text = sources.get(span.file);
  if (text === undefined) return "";
  const end = offsetToLineCol(text, span.offset + Math.max(span.length, 1));
  const loc =
    end.line === span.line
      ? { start: { line: span.line, column: span.col }, end: { line: end.line, column: end.col } }
      : { start: { line: span.line, column: span.col } };
  return codeFrameColumns(text, loc, { highlightCode: false, linesAbove: 1, linesBelow: 1 });
}

export function offsetToLineCol(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, col: offset - lineStart + 1 };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
