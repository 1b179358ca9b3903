import type { Model, SchemaFile } from "../model.js";
import { stringLiteral } from "./literals.js";
import { propertyKey, rpcMethodName } from "./names.js";
import { generatedHeader, type OutputFile } from "./output.js";
import { render } from "./render.js";
import { Scope, type EmitOptions } from "./scope.js";
import { descriptorName } from "./service-shape.js";

/** services.ts: one typed descriptor per `service` block, for the RPC layer. */
export function emitServices(
  model: Model,
  file: SchemaFile,
  options?: EmitOptions,
): OutputFile | null {
  const scope = new Scope(model, file, "services", options);
  const services = scope.own(model.services);
  if (services.length === 0) return null;
  scope.runtime("contract", "RpcMethodInfo", true);
  scope.runtime("contract", "RpcServiceInfo", true);
  const view = {
    header: generatedHeader(file.path),
    errors: scope.errorTable(),
    services: services.map((s) => ({
      constName: descriptorName(s.name),
      nameLiteral: stringLiteral(s.name),
      doc: s.doc,
      methods: s.methods.map((r) => {
        for (const record of [r.request, r.reply]) {
          scope.type(record);
          scope.value(`encode${record}`, "codec", record);
          scope.value(`decode${record}`, "codec", record);
        }
        return {
          key: propertyKey(r.name),
          nameLiteral: stringLiteral(r.name),
          fullName: stringLiteral(`${s.name}.${r.name}`),
          method: stringLiteral(rpcMethodName(r.name)),
          doc: r.doc,
          request: r.request,
          reply: r.reply,
        };
      }),
    })),
  };
  return {
    path: `${file.outDir}/services.ts`,
    content: render("services", { ...view, imports: scope.renderImports() }),
  };
}
