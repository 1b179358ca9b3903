import type { CompatContext } from "./compat-context.js";

/**
 * wire: a peer built from the other schema version misreads or rejects traffic.
 * source: the wire is unchanged but code written against the generated API stops compiling.
 */
export type CompatKind = "wire" | "source";

export interface RuleHit {
  subject: string;
  message: string;
}

/** One compatibility rule: a stable id (scripts and docs refer to it) and a small check. */
export interface CompatRule {
  id: string;
  kind: CompatKind;
  /** false for additions, which old peers and old code tolerate. */
  breaking: boolean;
  check: (ctx: CompatContext) => RuleHit[];
}

export function rule(
  id: string,
  kind: CompatKind,
  breaking: boolean,
  check: (ctx: CompatContext) => RuleHit[],
): CompatRule {
  return { id, kind, breaking, check };
}

export function hit(subject: string, message: string): RuleHit {
  return { subject, message };
}
