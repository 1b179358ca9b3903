import type { MessageDecl, Model, SchemaFile } from "../model.js";
import { methodName, pascalCase, propertyKey } from "./names.js";
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
 * The @error message's fields by role. Its layout is part of the protocol (errCode, obj, err),
 * so roles go by field number, not by name.
 */
export function errorFields(m: MessageDecl): { code: string; obj: string; text: string } {
  const [code, obj, text] = [...m.fields].sort((a, b) => a.number - b.number);
  if (code === undefined || obj === undefined || text === undefined) {
    throw new Error(`sigma gen: @error message ${m.name} needs fields code, obj and text`);
  }
  return { code: propertyKey(code.name), obj: propertyKey(obj.name), text: propertyKey(text.name) };
}

function replyName(m: MessageDecl): string {
  if (m.reply === null) throw new Error(`sigma gen: request ${m.name} has no reply`);
  return m.reply;
}
