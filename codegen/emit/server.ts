import type { Model, SchemaFile } from "../model.js";
import { generatedHeader, type OutputFile } from "./output.js";
import { render } from "./render.js";
import { calls, errorFields, protocolName, protocolStem } from "./rpc-shape.js";
import { Scope } from "./scope.js";

/** server.ts: the handler interface and the dispatcher that drives it. */
export function emitServer(model: Model, file: SchemaFile): OutputFile | null {
  const scope = new Scope(model, file, "server");
  const methods = calls(model, file, scope);
  if (methods.length === 0) return null;
  const errorMessage = scope.errorMessage();
  const fields = errorFields(errorMessage);
  scope.runtime("wire", "RawReply", true);
  scope.runtime("wire", "NO_DATA");
  for (const name of ["SigmaError", "describeErrorCode", "errorText", "isSigmaError"])
    scope.runtime("errors", name);
  scope.msgType(errorMessage.name);
  scope.value(`encode${errorMessage.name}`, "codec", errorMessage.name);
  for (const m of methods) {
    scope.msgType(m.request);
    scope.msgType(m.reply);
    scope.type(m.request);
    scope.type(m.reply);
    scope.value(`decode${m.request}`, "codec", m.request);
    scope.value(`encode${m.reply}`, "codec", m.reply);
  }
  const stem = protocolStem(model, file);
  const view = {
    header: generatedHeader(file.path),
    protocol: protocolName(model, file),
    handlersName: `${stem}Handlers`,
    dispatchName: `dispatch${stem}`,
    methods,
    errorMessage: errorMessage.name,
    errCodeField: fields.code,
    objField: fields.obj,
    textField: fields.text,
    badFcall: scope.errCode("BadFcall"),
    errorCode: scope.errCode("Error"),
  };
  return {
    path: `${file.outDir}/server.ts`,
    content: render("server", { ...view, imports: scope.renderImports() }),
  };
}
