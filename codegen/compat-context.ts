import { matchDecls, type Matching } from "./compat-match.js";
import { fieldsShape, wireShape } from "./compat-shape.js";
import type {
  AliasDecl,
  ConstDecl,
  EnumDecl,
  ErrorCodeDecl,
  Field,
  FlagsDecl,
  Member,
  MessageDecl,
  Model,
  Reserved,
  RpcMethod,
  ServiceDecl,
  StructDecl,
} from "./model.js";

/** A message or struct present in both versions, with its fields paired. */
export interface FieldOwnerPair {
  owner: string;
  older: { fields: Field[]; reserved: Reserved };
  newer: { fields: Field[]; reserved: Reserved };
  fields: Matching<Field>;
}

export interface MemberSetPair {
  owner: string;
  members: Matching<Member>;
}

/** Everything the rules look at, paired once so that no rule re-derives identity. */
export interface CompatContext {
  older: Model;
  newer: Model;
  messages: Matching<MessageDecl>;
  /** The newer name of an older message (itself, or what it was renamed to). */
  messageRenames: ReadonlyMap<string, string>;
  structs: Matching<StructDecl>;
  fieldOwners: FieldOwnerPair[];
  errors: Matching<ErrorCodeDecl>;
  flags: Matching<FlagsDecl>;
  flagMembers: MemberSetPair[];
  enums: Matching<EnumDecl>;
  enumMembers: MemberSetPair[];
  aliases: Matching<AliasDecl>;
  consts: Matching<ConstDecl>;
  services: Matching<ServiceDecl>;
  rpcs: { service: string; methods: Matching<RpcMethod> }[];
}

export function buildContext(older: Model, newer: Model): CompatContext {
  const byName = { name: (d: { name: string }) => d.name };
  const messages = matchDecls(older.messages, newer.messages, {
    ...byName,
    number: (m) => m.type,
    // A message keeps its identity under a new name only if peers cannot tell the difference.
    sameThing: (o, n) => o.kind === n.kind && messageShape(o, older) === messageShape(n, newer),
  });
  const structs = matchDecls(older.structs, newer.structs, byName);
  const flags = matchDecls(older.flags, newer.flags, byName);
  const enums = matchDecls(older.enums, newer.enums, byName);
  const services = matchDecls(older.services, newer.services, byName);
  return {
    older,
    newer,
    messages,
    messageRenames: new Map(messages.pairs.map((p) => [p.older.name, p.newer.name])),
    structs,
    fieldOwners: [...messages.pairs, ...structs.pairs].map(({ older: o, newer: n }) => ({
      owner: n.name,
      older: o,
      newer: n,
      fields: matchDecls(o.fields, n.fields, { ...byName, number: (f) => f.number }),
    })),
    errors: matchDecls(older.errors, newer.errors, { ...byName, number: (e) => e.code }),
    flags,
    flagMembers: memberPairs(flags),
    enums,
    enumMembers: memberPairs(enums),
    aliases: matchDecls(older.aliases, newer.aliases, byName),
    consts: matchDecls(older.consts, newer.consts, byName),
    services,
    rpcs: services.pairs.map((p) => ({
      service: p.newer.name,
      methods: matchDecls(p.older.methods, p.newer.methods, byName),
    })),
  };
}

/** A message's body layout and whether a data payload follows it. */
export function messageShape(m: MessageDecl, model: Model): string {
  const body = fieldsShape(m.fields, model);
  return m.flags.data ? `${body}+data` : body;
}

/** The wire shape of a named struct type, for RPC arguments and results. */
export function namedShape(name: string, model: Model): string {
  return wireShape({ kind: "struct", name }, model);
}

function memberPairs(m: Matching<FlagsDecl | EnumDecl>): MemberSetPair[] {
  return m.pairs.map(({ older, newer }) => ({
    owner: newer.name,
    members: matchDecls(older.members, newer.members, {
      name: (x) => x.name,
      number: (x) => x.value,
    }),
  }));
}
