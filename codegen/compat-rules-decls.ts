import type { CompatContext, MemberSetPair } from "./compat-context.js";
import { namedShape } from "./compat-context.js";
import type { Matching } from "./compat-match.js";
import { hit, rule, type CompatRule } from "./compat-rule.js";
import { wireShape } from "./compat-shape.js";
import type { EnumDecl, FlagsDecl } from "./model.js";

/** The hello compares protocol names, so a rename splits the world in two. */
export const protocolRules: CompatRule[] = [
  rule("protocol-renamed", "wire", true, (c) =>
    c.older.protocol.name === c.newer.protocol.name
      ? []
      : [
          hit(
            c.newer.protocol.name,
            `protocol ${c.older.protocol.name} is now ${c.newer.protocol.name}`,
          ),
        ],
  ),
];

/** Error codes travel in Rerror, so their numbers are wire; their names are generated API. */
export const errorRules: CompatRule[] = [
  rule("error-removed", "wire", true, (c) =>
    c.errors.removed.map((e) => hit(e.name, `error ${e.name} (${e.code}) was removed`)),
  ),
  rule("error-renumbered", "wire", true, (c) =>
    c.errors.pairs
      .filter((p) => p.older.code !== p.newer.code)
      .map((p) =>
        hit(p.newer.name, `error ${p.newer.name} moved from ${p.older.code} to ${p.newer.code}`),
      ),
  ),
  rule("error-code-reused", "wire", true, (c) =>
    c.errors.reused.map((r) =>
      hit(r.newer.name, `code ${r.newer.code} was ${r.older.name} and is now ${r.newer.name}`),
    ),
  ),
  rule("error-renamed", "source", true, (c) =>
    c.errors.pairs
      .filter((p) => p.renamed)
      .map((p) =>
        hit(p.newer.name, `error ${p.older.name} was renamed to ${p.newer.name} (${p.newer.code})`),
      ),
  ),
  // Retry classes steer client libraries, not bytes: old clients keep their old policy.
  rule("error-retry-changed", "wire", false, (c) =>
    c.errors.pairs
      .filter((p) => p.older.retry !== p.newer.retry)
      .map((p) =>
        hit(p.newer.name, `retry class changed from ${p.older.retry} to ${p.newer.retry}`),
      ),
  ),
  rule("error-added", "wire", false, (c) =>
    c.errors.added.map((e) => hit(e.name, `error ${e.name} (${e.code}) was added`)),
  ),
];

export const flagsRules = memberSetRules(
  "flags",
  (c) => c.flags,
  (c) => c.flagMembers,
);
export const enumRules = memberSetRules(
  "enum",
  (c) => c.enums,
  (c) => c.enumMembers,
);

export const structRules: CompatRule[] = [
  // The session header and RPC payloads are structs that no message field names.
  rule("struct-removed", "wire", true, (c) =>
    c.structs.removed.map((s) => hit(s.name, `struct ${s.name} was removed`)),
  ),
  rule("struct-added", "source", false, (c) =>
    c.structs.added.map((s) => hit(s.name, `struct ${s.name} was added`)),
  ),
];

export const aliasConstRules: CompatRule[] = [
  rule("alias-removed", "source", true, (c) =>
    c.aliases.removed.map((a) => hit(a.name, `alias ${a.name} was removed`)),
  ),
  rule("alias-target-changed", "wire", true, (c) =>
    c.aliases.pairs
      .filter((p) => wireShape(p.older.target, c.older) !== wireShape(p.newer.target, c.newer))
      .map((p) =>
        hit(
          p.newer.name,
          `alias ${p.newer.name} now means ${wireShape(p.newer.target, c.newer)} instead of ${wireShape(p.older.target, c.older)}`,
        ),
      ),
  ),
  rule("const-removed", "source", true, (c) =>
    c.consts.removed.map((k) => hit(k.name, `constant ${k.name} was removed`)),
  ),
  // Constants are sentinels peers compare against (NoFid, NoOffset): a new value is a new meaning.
  rule("const-value-changed", "wire", true, (c) =>
    c.consts.pairs
      .filter(
        (p) =>
          String(p.older.value) !== String(p.newer.value) ||
          wireShape(p.older.type, c.older) !== wireShape(p.newer.type, c.newer),
      )
      .map((p) =>
        hit(
          p.newer.name,
          `constant ${p.newer.name} changed from ${String(p.older.value)} to ${String(p.newer.value)}`,
        ),
      ),
  ),
];

export const serviceRules: CompatRule[] = [
  rule("service-removed", "wire", true, (c) =>
    c.services.removed.map((s) => hit(s.name, `service ${s.name} was removed`)),
  ),
  rule("rpc-removed", "wire", true, (c) =>
    c.rpcs.flatMap((s) =>
      s.methods.removed.map((m) => hit(`${s.service}.${m.name}`, `method ${m.name} was removed`)),
    ),
  ),
  rule("rpc-signature-changed", "wire", true, (c) =>
    rpcPairs(c)
      .filter((r) => !r.sameWire)
      .map((r) => hit(r.subject, `signature changed from ${r.before} to ${r.after}`)),
  ),
  rule("rpc-types-renamed", "source", true, (c) =>
    rpcPairs(c)
      .filter((r) => r.sameWire && r.before !== r.after)
      .map((r) =>
        hit(r.subject, `argument types renamed from ${r.before} to ${r.after} (same wire shape)`),
      ),
  ),
  rule("rpc-added", "wire", false, (c) =>
    c.rpcs.flatMap((s) =>
      s.methods.added.map((m) => hit(`${s.service}.${m.name}`, `method ${m.name} was added`)),
    ),
  ),
  rule("service-added", "wire", false, (c) =>
    c.services.added.map((s) => hit(s.name, `service ${s.name} was added`)),
  ),
];

/**
 * Flags and enums evolve alike: members are named numbers. Removing one strands peers that still
 * send it; renaming one only breaks code.
 */
function memberSetRules(
  kind: "flags" | "enum",
  decls: (c: CompatContext) => Matching<FlagsDecl | EnumDecl>,
  sets: (c: CompatContext) => MemberSetPair[],
): CompatRule[] {
  return [
    rule(`${kind}-removed`, "source", true, (c) =>
      decls(c).removed.map((d) => hit(d.name, `${kind} ${d.name} was removed`)),
    ),
    rule(`${kind}-base-changed`, "wire", true, (c) =>
      decls(c)
        .pairs.filter((p) => p.older.base !== p.newer.base)
        .map((p) => hit(p.newer.name, `base changed from ${p.older.base} to ${p.newer.base}`)),
    ),
    rule(`${kind}-member-removed`, "wire", true, (c) =>
      sets(c).flatMap((s) =>
        s.members.removed.map((m) =>
          hit(`${s.owner}.${m.name}`, `member ${m.name} (${hex(m.value)}) was removed`),
        ),
      ),
    ),
    rule(`${kind}-member-value-changed`, "wire", true, (c) =>
      sets(c).flatMap((s) =>
        s.members.pairs
          .filter((p) => p.older.value !== p.newer.value)
          .map((p) =>
            hit(
              `${s.owner}.${p.newer.name}`,
              `value changed from ${hex(p.older.value)} to ${hex(p.newer.value)}`,
            ),
          ),
      ),
    ),
    rule(`${kind}-member-renamed`, "source", true, (c) =>
      sets(c).flatMap((s) =>
        s.members.pairs
          .filter((p) => p.renamed)
          .map((p) =>
            hit(
              `${s.owner}.${p.newer.name}`,
              `renamed from ${p.older.name} (${hex(p.newer.value)})`,
            ),
          ),
      ),
    ),
    rule(`${kind}-member-added`, "wire", false, (c) =>
      sets(c).flatMap((s) =>
        s.members.added.map((m) =>
          hit(`${s.owner}.${m.name}`, `member ${m.name} (${hex(m.value)}) was added`),
        ),
      ),
    ),
  ];
}

function rpcPairs(
  c: CompatContext,
): { subject: string; sameWire: boolean; before: string; after: string }[] {
  return c.rpcs.flatMap((s) =>
    s.methods.pairs.map(({ older, newer }) => ({
      subject: `${s.service}.${newer.name}`,
      sameWire:
        namedShape(older.request, c.older) === namedShape(newer.request, c.newer) &&
        namedShape(older.reply, c.older) === namedShape(newer.reply, c.newer),
      before: `(${older.request}) -> ${older.reply}`,
      after: `(${newer.request}) -> ${newer.reply}`,
    })),
  );
}

function hex(n: number): string {
  return `0x${n.toString(16)}`;
}
