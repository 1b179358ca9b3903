/**
 * The schema fingerprint exchanged in the hello: a digest of the canonical wire contract
 * (message numbers, field order and wire types, message flags, error codes). Doc comments,
 * formatting, alias names and declaration order do not change it; anything a peer would
 * misread does. RPC services are not part of it: they travel inside Twriteread data, and a
 * server gaining a service must not refuse the hello of clients that do not know it.
 */
import { createHash } from "node:crypto";
import { ANNOTATIONS, setFlags } from "./annotations.js";
import type { Model, TypeRef } from "./model.js";

export function canonicalContract(m: Omit<Model, "fingerprint">): string {
  const lines: string[] = [];
  const structs = new Map(m.structs.map((s) => [s.name, s]));
  const wire = (t: TypeRef, seen: ReadonlySet<string> = new Set()): string => {
    switch (t.kind) {
      case "scalar":
        return t.name;
      case "flags":
      case "enum":
        return t.base;
      case "alias":
        return wire(t.target, seen);
      case "array":
        return `[${wire(t.of, seen)}]`;
      case "optional":
        return `?${wire(t.of, seen)}`;
      case "map":
        return `{${wire(t.key, seen)}:${wire(t.value, seen)}}`;
      case "struct": {
        // Structs are expanded so that renaming one is not a wire change; recursion is cut.
        const s = structs.get(t.name);
        if (!s || seen.has(t.name)) return `@${t.name}`;
        const inner = new Set(seen).add(t.name);
        return `(${s.fields.map((f) => `${f.number}:${wire(f.type, inner)}`).join(",")})`;
      }
    }
  };
  for (const msg of [...m.messages].sort((a, b) => a.type - b.type)) {
    const flags = setFlags(msg.flags).map((n) => ANNOTATIONS[n].letter);
    const fields = msg.fields.map((x) => `${x.number}:${wire(x.type)}`).join(",");
    lines.push(
      `msg ${msg.type} ${msg.name} ${msg.kind} ${msg.reply ?? "-"} [${flags}] (${fields})`,
    );
  }
  for (const e of [...m.errors].sort((a, b) => a.code - b.code))
    lines.push(`err ${e.code} ${e.name}`);
  return lines.join("\n");
}

export function fingerprint(m: Omit<Model, "fingerprint">): string {
  return createHash("sha256").update(canonicalContract(m)).digest("hex").slice(0, 16);
}
