import type { Model, SchemaFile } from "../model.js";
import { generatedHeader, type OutputFile } from "./output.js";
import { render } from "./render.js";
import { protocolStem } from "./rpc-shape.js";
import { Scope, type EmitOptions } from "./scope.js";
import { serviceShapes } from "./service-shape.js";

/** rpc-client.ts: `<Service>Client` per `service` block, one typed method per rpc. */
export function emitRpcClient(
  model: Model,
  file: SchemaFile,
  options?: EmitOptions,
): OutputFile | null {
  const scope = new Scope(model, file, "rpc-client", options);
  const services = serviceShapes(model, scope);
  if (services.length === 0) return null;
  for (const name of ["RpcCallOptions", "RpcTransport"]) scope.runtime("contract", name, true);
  scope.runtime("contract", "callRpc");
  const protocolClient = `${protocolStem(model, file)}Client`;
  for (const s of services) {
    // index.ts re-exports client.ts and rpc-client.ts side by side.
    const hasRequests = scope.own(model.messages).some((m) => m.kind === "request");
    if (hasRequests && s.clientName === protocolClient) {
      throw new Error(
        `sigma gen: service ${s.name} in ${file.path} would generate ${s.clientName}, which the protocol's client already is; rename the service`,
      );
    }
    scope.value(s.descriptor, "services", s.name);
    for (const r of s.rpcs) {
      scope.type(r.request);
      scope.type(r.reply);
    }
  }
  const view = { header: generatedHeader(file.path), services };
  return {
    path: `${file.outDir}/rpc-client.ts`,
    content: render("rpc-client", { ...view, imports: scope.renderImports() }),
  };
}
