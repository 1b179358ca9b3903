import { buildContext } from "./compat-context.js";
import type { CompatKind } from "./compat-rule.js";
import { COMPAT_RULES } from "./compat-rules.js";
import type { Model } from "./model.js";

export type { CompatKind } from "./compat-rule.js";
export { COMPAT_RULES } from "./compat-rules.js";

export interface CompatFinding {
  /** Stable rule id, e.g. "message-removed". */
  rule: string;
  kind: CompatKind;
  breaking: boolean;
  message: string;
  /** What changed, e.g. "Twalk.wnames" or "Mode.OWATCH". */
  subject: string;
}

/** Every difference between two schema versions that a rule knows, in rule-table order. */
export function compareModels(older: Model, newer: Model): CompatFinding[] {
  const ctx = buildContext(older, newer);
  return COMPAT_RULES.flatMap((r) =>
    r.check(ctx).map((h) => ({
      rule: r.id,
      kind: r.kind,
      breaking: r.breaking,
      message: h.message,
      subject: h.subject,
    })),
  );
}
