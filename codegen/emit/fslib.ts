import type { MessageDecl, Model, SchemaFile } from "../model.js";
import { methodName } from "./names.js";
import { descName } from "./registry.js";
import { protocolStem } from "./rpc-shape.js";
import type { Scope } from "./scope.js";

/** What client.hbs needs to write `<Protocol>FsLibMethods`. */
export interface FslibView {
  fslibClass: string;
  fslibMethods: { doc: string; signature: string; call: string }[];
}

/**
 * `<Protocol>FsLibMethods`, written into client.ts: the FsLib-level method of each request
 * annotated `@fslib`, over runtime/contract's FsMethods hooks. Written even without annotated
 * requests, so that FsLib extends it before the first one exists.
 */
export function fslibView(model: Model, file: SchemaFile, scope: Scope): FslibView {
  scope.runtime("contract", "FsMethods");
  const annotated = scope
    .own(model.messages)
    .filter((m) => m.kind === "request" && m.fslib !== undefined);
  if (annotated.length > 0) scope.runtime("contract", "CallLimits", true);
  const registry = scope.namespace("registry", "registry", false);
  return {
    fslibClass: `${protocolStem(model, file)}FsLibMethods`,
    fslibMethods: annotated.map((m) => fslibMethod(m, scope, `${registry}.${descName(m.name)}`)),
  };
}

// The method's signature and the hook call it makes, by the message's mapping.
function fslibMethod(
  m: MessageDecl,
  scope: Scope,
  desc: string,
): { doc: string; signature: string; call: string } {
  const method = methodName(m.name);
  const req = scope.type(m.name);
  const rep = scope.type(scope.message(m.reply ?? "").name);
  const rest = m.fields.some((f) => f.name !== "fid");
  const opts = "opts?: CallLimits";
  const ret = `Promise<${rep}>`;
  switch (m.fslib) {
    case "path":
      return {
        doc: m.doc,
        signature: rest
          ? `${method}(path: string, req: Omit<${req}, "fid">, ${opts}): ${ret}`
          : `${method}(path: string, ${opts}): ${ret}`,
        call: `this.requestAtPath(${desc}, path, (fid) => (${rest ? "{ ...req, fid }" : "{ fid }"}), opts)`,
      };
    case "fid":
      return {
        doc: m.doc,
        signature: rest
          ? `${method}(fid: number, req: Omit<${req}, "fid">, ${opts}): ${ret}`
          : `${method}(fid: number, ${opts}): ${ret}`,
        call: `this.requestOnFid(${desc}, fid, ${rest ? "{ ...req, fid }" : "{ fid }"}, opts)`,
      };
    default:
      return {
        doc: m.doc,
        signature:
          m.fields.length > 0
            ? `${method}(req: ${req}, ${opts}): ${ret}`
            : `${method}(${opts}): ${ret}`,
        call: `this.requestNamed(${desc}, ${m.fields.length > 0 ? "req" : "{}"}, opts)`,
      };
  }
}
