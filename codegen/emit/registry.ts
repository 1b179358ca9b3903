import type { MessageDecl, Model, SchemaFile } from "../model.js";
import { ANNOTATIONS, setFlags } from "../annotations.js";
import { stringLiteral } from "./literals.js";
import { methodName } from "./names.js";
import { generatedHeader, type OutputFile } from "./output.js";
import { render } from "./render.js";
import { checkErrorLayout, protocolStem } from "./rpc-shape.js";
import { Scope, type EmitOptions } from "./scope.js";

/**
 * registry.ts: the protocol's identity and one descriptor per message (number, name, reply,
 * codec, method name, the flags it sets), compiled once by the runtime's createRegistry.
 */
export function emitRegistry(
  model: Model,
  file: SchemaFile,
  options?: EmitOptions,
): OutputFile | null {
  const scope = new Scope(model, file, "registry", options);
  const own = scope.own(model.messages);
  if (own.length === 0) return null;
  scope.runtime("contract", "createRegistry");
  const byType = [...own].sort((a, b) => a.type - b.type);
  const ordered = [
    ...byType.filter((m) => m.kind === "reply"),
    ...byType.filter((m) => m.kind === "request"),
  ];
  const descriptors = ordered.map((m) => descriptor(m, scope));
  for (const m of own) if (m.flags.error) checkErrorLayout(m);
  const inherited = scope.sessionMessages();
  const session = byType.filter((m) => isSessionMessage(m)).map((m) => descName(m.name));
  if (inherited === null && session.length > 0) scope.runtime("contract", "MessageDesc", true);
  const protocol = file.protocol ?? model.protocol;
  const view = {
    header: generatedHeader(file.path),
    protocolName: stringLiteral(protocol.name),
    protocolVersion: protocol.version,
    fingerprint: stringLiteral(model.fingerprint),
    descriptors,
    session: inherited === null ? session.join(", ") : "",
    registryName: registryName(model, file),
    messages: [
      // Replies come with the requests that name them.
      ...byType.filter((m) => m.kind === "request" || m.answers.length === 0),
    ]
      .map((m) => descName(m.name))
      .concat(inherited === null ? [] : [`...${inherited}`])
      .join(", "),
    errors: scope.errorTable(),
  };
  return {
    path: `${file.outDir}/registry.ts`,
    content: render("registry", { ...view, imports: scope.renderImports() }),
  };
}

/** `TgetfileDesc`: a message's descriptor. */
export function descName(message: string): string {
  return `${message}Desc`;
}

/** `sigmapRegistry`: the compiled protocol. */
export function registryName(model: Model, file: SchemaFile): string {
  const stem = protocolStem(model, file);
  return `${stem.charAt(0).toLowerCase()}${stem.slice(1)}Registry`;
}

// The session layer sends these itself; a schema without them takes sigmats' (sessionMessages).
function isSessionMessage(m: MessageDecl): boolean {
  return m.flags.hello || m.flags.keepalive || m.flags.detach || m.flags.error;
}

// A protocol's messages live in one file (Scope.msgType), so the file's own codec and types hold
// every name a descriptor needs.
function descriptor(m: MessageDecl, scope: Scope) {
  const t = scope.namespace("types", "t", true);
  scope.namespace("codec", "codec", false);
  const request = m.kind === "request" && m.reply !== null;
  const reply = request ? scope.message(m.reply!) : null;
  scope.runtime("contract", request ? "RequestDesc" : "MessageDesc", true);
  const hasMethod = request && !m.flags.hello && !m.flags.keepalive;
  return {
    name: m.name,
    constName: descName(m.name),
    typeName:
      reply === null
        ? `MessageDesc<${t}.${m.name}>`
        : `RequestDesc<${t}.${m.name}, ${t}.${reply.name}>`,
    type: m.type,
    nameLiteral: stringLiteral(m.name),
    reply: reply === null ? null : descName(reply.name),
    method: hasMethod ? stringLiteral(methodName(m.name)) : null,
    // Only the flags a message sets: the runtime reads every other one as false.
    flags: setFlags(m.flags).filter((f) => f in ANNOTATIONS),
  };
}
