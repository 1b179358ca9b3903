/**
 * `sigma rpc PATH METHOD JSON`: calls a service from the shell, for debugging. The request and
 * reply types come from the schema (--schema, default ./schema, else the package's own), so any
 * declared service can be called; see rpc-json.ts for how JSON maps to records.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Command } from "commander";
import { loadSchemaDir } from "../../codegen/load.js";
import type { Model, RpcMethod } from "../../codegen/model.js";
import { RpcClient } from "../../runtime/rpc/index.js";
import { CliError, withPath } from "./cli-errors.js";
import type { Out } from "./cli-io.js";
import { connectNamed, type ConnectFlags } from "./connect.js";
import { toJson } from "./json-out.js";
import { RecordJson } from "./rpc-json.js";

interface Flags extends ConnectFlags {
  schema?: string;
  timeout?: string;
}

export function registerRpcCommand(
  program: Command,
  setExit: (code: number) => void,
  io: Out,
): void {
  program
    .command("rpc")
    .description("call METHOD (Service.Method) of the RPC service at PATH with a JSON request")
    .argument("<path>", "where the service is registered, e.g. name/echo")
    .argument("<method>", "Service.Method, or Method when only one service has it")
    .argument("[json]", "the request record as JSON", "{}")
    .option("--named <addrs>", "named's address(es), host:port[,host:port]; default $SIGMA_NAMED")
    .option("--uname <name>", "user name recorded as owner; default $USER")
    .option("--token <token>", "token to present (sigma token issue); default $SIGMA_TOKEN")
    .option("--tls-ca <file>", "dial over TLS, trusting this CA (PEM); default $SIGMA_TLS_CA")
    .option("--schema <dir>", "schema folder declaring the service; default ./schema")
    .option("--timeout <ms>", "give up after this long")
    .action(async (where: string, method: string, json: string, flags: Flags) => {
      setExit(await callFromShell(where, method, json, flags, io));
    });
}

async function callFromShell(
  where: string,
  method: string,
  json: string,
  flags: Flags,
  io: Out,
): Promise<number> {
  const model = await loadModel(flags.schema);
  const { fullName, rpc } = findMethod(model, method);
  const records = new RecordJson(model);
  const args = records.toRecord(rpc.request, parseJson(json));
  const timeoutMs = flags.timeout === undefined ? undefined : Number(flags.timeout);
  const fsl = await connectNamed(flags);
  try {
    const client = await withPath(where, () => RpcClient.connect(fsl, where, { timeoutMs }));
    try {
      const res = await withPath(where, () => client.call(fullName, args, { timeoutMs }));
      io.out(toJson(records.fromRecord(rpc.reply, res)) + "\n");
    } finally {
      await client.close();
    }
    return 0;
  } finally {
    await fsl.close().catch(() => undefined);
  }
}

async function loadModel(dir: string | undefined): Promise<Model> {
  const schemaDir = dir ?? defaultSchemaDir();
  const loaded = await loadSchemaDir(schemaDir);
  if (loaded.model === null) throw new CliError(`the schema in ${schemaDir} does not load`);
  return loaded.model;
}

/** ./schema when the shell is in a project, else the schema this program was built from. */
function defaultSchemaDir(): string {
  const local = path.resolve("schema");
  if (existsSync(path.join(local, "sigmap.sigmap"))) return local;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, "schema", "sigmap.sigmap"))) {
    const up = path.dirname(dir);
    if (up === dir) throw new CliError("no schema folder found; pass --schema");
    dir = up;
  }
  return path.join(dir, "schema");
}

function findMethod(model: Model, method: string): { fullName: string; rpc: RpcMethod } {
  const dot = method.lastIndexOf(".");
  const service = dot < 0 ? undefined : method.slice(0, dot);
  const name = method.slice(dot + 1);
  const hits = model.services
    .filter((s) => service === undefined || s.name === service)
    .flatMap((s) => s.methods.filter((m) => m.name === name).map((rpc) => ({ s, rpc })));
  const hit = hits[0];
  if (hit === undefined) throw new CliError(`no service method ${method} in the schema`);
  if (hits.length > 1) {
    const names = hits.map((h) => `${h.s.name}.${name}`).join(", ");
    throw new CliError(`${method} is ambiguous: ${names}`);
  }
  return { fullName: `${hit.s.name}.${name}`, rpc: hit.rpc };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new CliError(`request is not JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
}
