import type { CompatContext, FieldOwnerPair } from "./compat-context.js";
import { hit, rule, type CompatRule, type RuleHit } from "./compat-rule.js";
import { sourceShape, wireShape } from "./compat-shape.js";
import { ANNOTATION_NAMES } from "./annotations.js";
import type { MessageDecl, MessageFlags } from "./model.js";

/** Rules about messages as units: identity, number, kind, reply and declared semantics. */
export const messageRules: CompatRule[] = [
  rule("message-removed", "wire", true, (c) =>
    c.messages.removed.map((m) =>
      hit(m.name, `${m.kind} ${m.name} (type ${m.type}) was removed; old peers still send it`),
    ),
  ),
  rule("message-renumbered", "wire", true, (c) =>
    c.messages.pairs
      .filter((p) => p.older.type !== p.newer.type)
      .map((p) =>
        hit(p.newer.name, `${p.newer.name} moved from type ${p.older.type} to ${p.newer.type}`),
      ),
  ),
  rule("message-number-reused", "wire", true, (c) =>
    c.messages.reused.map((r) =>
      hit(
        r.newer.name,
        `type ${r.newer.type} was ${r.older.name} and is now ${r.newer.name}; old peers decode one as the other`,
      ),
    ),
  ),
  rule("message-renamed", "source", true, (c) =>
    c.messages.pairs
      .filter((p) => p.renamed)
      .map((p) =>
        hit(
          p.newer.name,
          `${p.older.name} was renamed to ${p.newer.name} (type ${p.newer.type}, same wire shape)`,
        ),
      ),
  ),
  rule("message-kind-changed", "wire", true, (c) =>
    c.messages.pairs
      .filter((p) => p.older.kind !== p.newer.kind)
      .map((p) =>
        hit(p.newer.name, `${p.newer.name} changed from a ${p.older.kind} to a ${p.newer.kind}`),
      ),
  ),
  rule("message-reply-changed", "wire", true, (c) =>
    c.messages.pairs
      .filter((p) => p.older.kind === "request" && p.newer.kind === "request")
      .filter((p) => expectedReply(c, p.older) !== p.newer.reply)
      .map((p) =>
        hit(
          p.newer.name,
          `${p.newer.name} is now answered by ${p.newer.reply} instead of ${p.older.reply}`,
        ),
      ),
  ),
  rule("message-data-changed", "wire", true, (c) =>
    c.messages.pairs
      .filter((p) => p.older.flags.data !== p.newer.flags.data)
      .map((p) =>
        hit(
          p.newer.name,
          `${p.newer.name} ${p.newer.flags.data ? "now carries" : "no longer carries"} a data payload (@data)`,
        ),
      ),
  ),
  // Not a layout change, but peers disagree on fencing, parking or ordering: treat it as wire.
  rule("message-flags-changed", "wire", true, (c) =>
    c.messages.pairs.flatMap((p) => {
      const changed = semanticFlagChanges(p.older.flags, p.newer.flags);
      return changed.length === 0
        ? []
        : [hit(p.newer.name, `${p.newer.name} changed its semantics: ${changed.join(", ")}`)];
    }),
  ),
  rule("message-added", "wire", false, (c) =>
    c.messages.added.map((m) => hit(m.name, `${m.kind} ${m.name} (type ${m.type}) was added`)),
  ),
];

/** Rules about the fields of messages and structs present in both versions. */
export const fieldRules: CompatRule[] = [
  fieldRule("field-removed", "wire", true, (o) =>
    o.fields.removed.map((f) => hit(`${o.owner}.${f.name}`, `field ${f.number} was removed`)),
  ),
  fieldRule("field-renumbered", "wire", true, (o) =>
    o.fields.pairs
      .filter((p) => p.older.number !== p.newer.number)
      .map((p) =>
        hit(
          `${o.owner}.${p.newer.name}`,
          `moved from position ${p.older.number} to ${p.newer.number}`,
        ),
      ),
  ),
  fieldRule("field-number-reused", "wire", true, (o) =>
    o.fields.reused.map((r) =>
      hit(
        `${o.owner}.${r.newer.name}`,
        `position ${r.newer.number} was ${r.older.name} and is now ${r.newer.name}`,
      ),
    ),
  ),
  fieldRule("field-renamed", "source", true, (o) =>
    o.fields.pairs
      .filter((p) => p.renamed)
      .map((p) =>
        hit(
          `${o.owner}.${p.newer.name}`,
          `renamed from ${p.older.name} (position ${p.newer.number})`,
        ),
      ),
  ),
  rule("field-type-changed", "wire", true, (c) =>
    c.fieldOwners.flatMap((o) =>
      o.fields.pairs
        .filter((p) => wireShape(p.older.type, c.older) !== wireShape(p.newer.type, c.newer))
        .map((p) =>
          hit(
            `${o.owner}.${p.newer.name}`,
            `wire type changed from ${sourceShape(p.older.type)} to ${sourceShape(p.newer.type)}`,
          ),
        ),
    ),
  ),
  rule("field-type-renamed", "source", true, (c) =>
    c.fieldOwners.flatMap((o) =>
      o.fields.pairs
        .filter((p) => wireShape(p.older.type, c.older) === wireShape(p.newer.type, c.newer))
        .filter((p) => sourceShape(p.older.type) !== sourceShape(p.newer.type))
        .map((p) =>
          hit(
            `${o.owner}.${p.newer.name}`,
            `type renamed from ${sourceShape(p.older.type)} to ${sourceShape(p.newer.type)} (same wire type)`,
          ),
        ),
    ),
  ),
  fieldRule("field-added", "wire", false, (o) =>
    o.fields.added
      .filter((f) => !o.older.reserved.numbers.includes(f.number))
      .map((f) => hit(`${o.owner}.${f.name}`, `field ${f.number} was added`)),
  ),
  fieldRule("reserved-number-reused", "wire", true, (o) =>
    o.newer.fields
      .filter((f) => o.older.reserved.numbers.includes(f.number))
      .map((f) => hit(`${o.owner}.${f.name}`, `uses position ${f.number}, which was reserved`)),
  ),
  fieldRule("reserved-name-reused", "source", true, (o) =>
    o.newer.fields
      .filter((f) => o.older.reserved.names.includes(f.name))
      .map((f) => hit(`${o.owner}.${f.name}`, `uses the name ${f.name}, which was reserved`)),
  ),
];

function fieldRule(
  id: string,
  kind: "wire" | "source",
  breaking: boolean,
  check: (owner: FieldOwnerPair) => RuleHit[],
): CompatRule {
  return rule(id, kind, breaking, (c) => c.fieldOwners.flatMap(check));
}

/** The reply an unchanged request would name now, following a rename of the older reply. */
function expectedReply(c: CompatContext, request: MessageDecl): string | null {
  return request.reply === null ? null : (c.messageRenames.get(request.reply) ?? request.reply);
}

function semanticFlagChanges(older: MessageFlags, newer: MessageFlags): string[] {
  const out: string[] = [];
  // @data has a rule of its own (the frame's shape changes).
  for (const key of ANNOTATION_NAMES.filter((n) => n !== "data")) {
    if (older[key] !== newer[key]) out.push(`${newer[key] ? "added" : "dropped"} @${key}`);
  }
  return out;
}
