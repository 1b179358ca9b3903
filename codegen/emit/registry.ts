import type { Model, SchemaFile } from "../model.js";
import { stringLiteral } from "./literals.js";
import { generatedHeader, type OutputFile } from "./output.js";
import { render } from "./render.js";
import { Scope } from "./scope.js";

/** registry.ts: the protocol's identity and each message's semantics, for the session layer. */
export function emitRegistry(model: Model, file: SchemaFile): OutputFile | null {
  const scope = new Scope(model, file, "registry");
  const own = scope.own(model.messages);
  if (own.length === 0) return null;
  scope.runtime("wire", "MessageInfo", true);
  const typeOf = (name: string): number => scope.message(name).type;
  const protocol = file.protocol ?? model.protocol;
  const view = {
    header: generatedHeader(file.path),
    protocolName: stringLiteral(protocol.name),
    protocolVersion: protocol.version,
    fingerprint: stringLiteral(model.fingerprint),
    messages: [...own]
      .sort((a, b) => a.type - b.type)
      .map((m) => ({
        type: m.type,
        name: stringLiteral(m.name),
        kind: stringLiteral(m.kind),
        reply: m.reply === null ? "null" : String(typeOf(m.reply)),
        answers: m.answers
          .map(typeOf)
          .sort((a, b) => a - b)
          .join(", "),
        fenced: m.flags.fenced,
        blocking: [...m.flags.blocking].sort().map(stringLiteral).join(", "),
        data: m.flags.data,
        unordered: m.flags.unordered,
        hello: m.flags.hello,
        keepalive: m.flags.keepalive,
        detach: m.flags.detach,
        error: m.flags.error,
      })),
  };
  return {
    path: `${file.outDir}/registry.ts`,
    content: render("registry", { ...view, imports: scope.renderImports() }),
  };
}
