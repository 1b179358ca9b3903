import type { Model, SchemaFile } from "../model.js";
import { generatedHeader, type OutputFile } from "./output.js";
import { render } from "./render.js";
import { Scope, type EmitOptions } from "./scope.js";
import { serviceShapes } from "./service-shape.js";

/** rpc-server.ts: per `service` block the handler interface and its binding. */
export function emitRpcServer(
  model: Model,
  file: SchemaFile,
  options?: EmitOptions,
): OutputFile | null {
  const scope = new Scope(model, file, "rpc-server", options);
  const services = serviceShapes(model, scope);
  if (services.length === 0) return null;
  scope.runtime("contract", "RpcService", true);
  scope.runtime("contract", "bindService");
  for (const s of services) {
    scope.value(s.descriptor, "services", s.name);
    for (const r of s.rpcs) {
      scope.type(r.request);
      scope.type(r.reply);
    }
  }
  const view = { header: generatedHeader(file.path), services };
  return {
    path: `${file.outDir}/rpc-server.ts`,
    content: render("rpc-server", { ...view, imports: scope.renderImports() }),
  };
}
