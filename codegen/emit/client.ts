import type { Model, SchemaFile } from "../model.js";
import { generatedHeader, type OutputFile } from "./output.js";
import { descName, registryName } from "./registry.js";
import { fslibView } from "./fslib.js";
import { render } from "./render.js";
import { calls, protocolName, protocolStem } from "./rpc-shape.js";
import { Scope, type EmitOptions } from "./scope.js";

/**
 * client.ts: `<Protocol>Client`, one typed method per request over runtime/wire's ProtocolClient,
 * and `<Protocol>FsLibMethods`, the FsLib methods of the requests annotated `@fslib` (fslib.ts).
 */
export function emitClient(
  model: Model,
  file: SchemaFile,
  options?: EmitOptions,
): OutputFile | null {
  const scope = new Scope(model, file, "client", options);
  const methods = calls(model, file, scope);
  if (methods.length === 0) return null;
  for (const name of ["CallOptions", "Transport"]) scope.runtime("contract", name, true);
  scope.runtime("wire", "ProtocolClient");
  // The descriptors of every request: imported whole rather than by a list as long as the code.
  const registry = scope.namespace("registry", "registry", false);
  for (const m of methods) {
    scope.type(m.request);
    scope.type(m.reply);
  }
  const view = {
    header: generatedHeader(file.path),
    protocol: protocolName(model, file),
    className: `${protocolStem(model, file)}Client`,
    registry: `${registry}.${registryName(model, file)}`,
    methods: methods.map((m) => ({ ...m, desc: `${registry}.${descName(m.request)}` })),
    ...fslibView(model, file, scope),
  };
  return {
    path: `${file.outDir}/client.ts`,
    content: render("client", { ...view, imports: scope.renderImports() }),
  };
}
