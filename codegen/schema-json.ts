/**
 * The resolved model as plain JSON (`sigma schema --json`): a stable, documented shape for
 * scripts and other-language tooling. Spans are left out; bigints become decimal strings.
 */
import { unalias } from "./check.js";
import type { Field, MessageFlags, Model, TypeRef } from "./model.js";

export interface SchemaJson {
  protocol: { name: string; version: number };
  fingerprint: string;
  messages: {
    name: string;
    type: number;
    kind: "request" | "reply";
    reply: string | null;
    answers: string[];
    fields: FieldJson[];
    flags: MessageFlags;
    file: string;
  }[];
  errors: { name: string; code: number; description: string; retry: string }[];
  structs: { name: string; fields: FieldJson[]; file: string }[];
  flags: { name: string; base: string; members: { name: string; value: number }[] }[];
  enums: { name: string; base: string; members: { name: string; value: number }[] }[];
  aliases: { name: string; type: string; wireType: string }[];
  consts: { name: string; type: string; value: string | boolean }[];
  services: { name: string; methods: { name: string; request: string; reply: string }[] }[];
}

interface FieldJson {
  name: string;
  number: number;
  /** As written in the schema, aliases kept: `Tfid`, `string[]`, `map<Tsession, bool>`. */
  type: string;
  /** The wire type with aliases, flags and enums resolved to scalars. */
  wireType: string;
}

export function schemaToJson(m: Model): SchemaJson {
  const fields = (fs: readonly Field[]): FieldJson[] =>
    fs.map((f) => ({
      name: f.name,
      number: f.number,
      type: typeName(f.type),
      wireType: wireTypeName(f.type),
    }));
  return {
    protocol: { name: m.protocol.name, version: m.protocol.version },
    fingerprint: m.fingerprint,
    messages: m.messages.map((x) => ({
      name: x.name,
      type: x.type,
      kind: x.kind,
      reply: x.reply,
      answers: x.answers,
      fields: fields(x.fields),
      flags: { ...x.flags },
      file: x.file,
    })),
    errors: m.errors.map((e) => ({
      name: e.name,
      code: e.code,
      description: e.description,
      retry: e.retry,
    })),
    structs: m.structs.map((s) => ({ name: s.name, fields: fields(s.fields), file: s.file })),
    flags: m.flags.map((f) => ({ name: f.name, base: f.base, members: members(f.members) })),
    enums: m.enums.map((f) => ({ name: f.name, base: f.base, members: members(f.members) })),
    aliases: m.aliases.map((a) => ({
      name: a.name,
      type: typeName(a.target),
      wireType: wireTypeName(a.target),
    })),
    consts: m.consts.map((c) => ({
      name: c.name,
      type: typeName(c.type),
      value: typeof c.value === "bigint" ? c.value.toString() : c.value,
    })),
    services: m.services.map((s) => ({
      name: s.name,
      methods: s.methods.map((r) => ({ name: r.name, request: r.request, reply: r.reply })),
    })),
  };
}

export function typeName(t: TypeRef): string {
  switch (t.kind) {
    case "scalar":
      return t.name;
    case "array":
      return `${typeName(t.of)}[]`;
    case "optional":
      return `${typeName(t.of)}?`;
    case "map":
      return `map<${typeName(t.key)}, ${typeName(t.value)}>`;
    default:
      return t.name;
  }
}

export function wireTypeName(t: TypeRef): string {
  const u = unalias(t);
  switch (u.kind) {
    case "scalar":
      return u.name;
    case "flags":
    case "enum":
      return u.base;
    case "struct":
      return u.name;
    case "array":
      return `${wireTypeName(u.of)}[]`;
    case "optional":
      return `${wireTypeName(u.of)}?`;
    case "map":
      return `map<${wireTypeName(u.key)}, ${wireTypeName(u.value)}>`;
  }
}

function members(ms: readonly { name: string; value: number }[]) {
  return ms.map((x) => ({ name: x.name, value: x.value }));
}
