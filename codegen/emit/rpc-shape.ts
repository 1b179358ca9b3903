import { unalias } from "../check.js";
import type { MessageDecl, Model, SchemaFile, TypeRef } from "../model.js";
import { methodName, pascalCase } from "./names.js";
import type { Scope } from "./scope.js";

/** A request with a client method and a handler: everything but hello and keepalive. */
export interface CallShape {
  method: string;
  doc: string;
  request: string;
  reply: string;
  requestData: boolean;
  replyData: boolean;
}

/** The calls of a schema file, in schema order, with the names the client and server share. */
export function calls(model: Model, file: SchemaFile, scope: Scope): CallShape[] {
  return scope
    .own(model.messages)
    .filter((m) => m.kind === "request" && !m.flags.hello && !m.flags.keepalive)
    .map((m) => {
      const reply = scope.message(replyName(m));
      return {
        method: methodName(m.name),
        doc: m.doc,
        request: m.name,
        reply: reply.name,
        requestData: m.flags.data,
        replyData: reply.flags.data,
      };
    });
}

/** `Sigmap` for the sigmap protocol: the stem of the client and handler names. */
export function protocolStem(model: Model, file: SchemaFile): string {
  return pascalCase((file.protocol ?? model.protocol).name);
}

export function protocolName(model: Model, file: SchemaFile): string {
  return (file.protocol ?? model.protocol).name;
}

/**
 * The @error message's layout is part of the protocol: the runtime reads and writes it as
 * `[code, obj, text]` (an unsigned integer and two strings), whatever the fields are called.
 */
export function checkErrorLayout(m: MessageDecl): void {
  const [code, obj, text] = [...m.fields].sort((a, b) => a.number - b.number);
  const kinds = [code, obj, text].map((f) => (f === undefined ? null : wireKind(f.type)));
  const numbers = [code, obj, text].map((f) => f?.number);
  if (kinds.join() !== "uint,string,string" || numbers.join() !== "1,2,3") {
    throw new Error(
      `sigma gen: @error message ${m.name} must start with fields 1, 2, 3: code (u8-u32), obj (string), text (string)`,
    );
  }
}

function wireKind(t: TypeRef): string {
  const u = unalias(t);
  if (u.kind === "scalar" && (u.name === "u8" || u.name === "u16" || u.name === "u32"))
    return "uint";
  if (u.kind === "scalar" && u.name === "string") return "string";
  return u.kind;
}

function replyName(m: MessageDecl): string {
  if (m.reply === null) throw new Error(`sigma gen: request ${m.name} has no reply`);
  return m.reply;
}
