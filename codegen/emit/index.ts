import type { Model, SchemaFile } from "../model.js";
import { emitClient } from "./client.js";
import { emitCodec } from "./codec.js";
import { emitHeader } from "./header.js";
import { camelCase } from "./names.js";
import { generatedHeader, type OutputFile } from "./output.js";
import { emitRegistry } from "./registry.js";
import { emitRpcClient } from "./rpc-client.js";
import { emitRpcServer } from "./rpc-server.js";
import { render } from "./render.js";
import { emitServer } from "./server.js";
import { emitServices } from "./services.js";
import { emitTypes } from "./types.js";
import type { EmitOptions } from "./scope.js";

export type { OutputFile } from "./output.js";
export type { EmitOptions, RuntimeImports } from "./scope.js";

/**
 * Every output of one schema file, paths relative to generated/. Modules with nothing to say
 * (a client for a file without requests) are not written; index.ts re-exports what exists.
 */
export function emitFile(
  model: Model,
  file: SchemaFile,
  options: EmitOptions = { runtime: "relative" },
): OutputFile[] {
  const outputs = [
    emitTypes(model, file, options),
    emitCodec(model, file, options),
    emitHeader(model, file, options),
    emitClient(model, file, options),
    emitServer(model, file, options),
    emitRegistry(model, file, options),
    emitServices(model, file, options),
    emitRpcClient(model, file, options),
    emitRpcServer(model, file, options),
  ].filter((o): o is OutputFile => o !== null);
  const modules = outputs.map((o) => o.path.slice(file.outDir.length + 1).replace(/\.ts$/, ""));
  outputs.push({
    path: `${file.outDir}/index.ts`,
    content: render("index", { header: generatedHeader(file.path), modules }),
  });
  return outputs;
}

/**
 * generated/index.ts (one file, returned as a list like emitFile's): the root protocol's names flat, every other schema file as a namespace
 * (their names would collide: each has its own types and codec).
 */
export function emitRootIndex(model: Model): OutputFile[] {
  const root = rootFile(model);
  const others = model.files
    .filter((f) => f !== root)
    .sort((a, b) => a.outDir.localeCompare(b.outDir))
    .map((f) => ({ name: camelCase(f.outDir), outDir: f.outDir }));
  const content = render("root-index", {
    header: generatedHeader(root?.path ?? ""),
    root: root?.outDir ?? "",
    namespaces: others,
  });
  return [{ path: "index.ts", content }];
}

function rootFile(model: Model): SchemaFile | undefined {
  return model.files.find((f) => f.path === model.rootFile);
}
