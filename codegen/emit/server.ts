import type { Model, SchemaFile } from "../model.js";
import { generatedHeader, type OutputFile } from "./output.js";
import { registryName } from "./registry.js";
import { render } from "./render.js";
import { calls, protocolName, protocolStem } from "./rpc-shape.js";
import { Scope, type EmitOptions } from "./scope.js";

/**
 * server.ts: the handler interface, and the protocol served by handlers through runtime/wire's
 * one dispatcher.
 */
export function emitServer(
  model: Model,
  file: SchemaFile,
  options?: EmitOptions,
): OutputFile | null {
  const scope = new Scope(model, file, "server", options);
  const methods = calls(model, file, scope);
  if (methods.length === 0) return null;
  scope.runtime("contract", "RawReply", true);
  scope.runtime("contract", "MessageInfo", true);
  scope.runtime("wire", "dispatcherFor");
  const registry = scope.sibling(registryName(model, file), "registry");
  for (const m of methods) {
    scope.type(m.request);
    scope.type(m.reply);
  }
  const stem = protocolStem(model, file);
  const view = {
    header: generatedHeader(file.path),
    protocol: protocolName(model, file),
    handlersName: `${stem}Handlers`,
    dispatchName: `dispatch${stem}`,
    serverName: `${stem.charAt(0).toLowerCase()}${stem.slice(1)}Server`,
    registry,
    methods,
  };
  return {
    path: `${file.outDir}/server.ts`,
    content: render("server", { ...view, imports: scope.renderImports() }),
  };
}
