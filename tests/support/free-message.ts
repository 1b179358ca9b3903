/**
 * A message pair that tests may add to a copy of the project's schema without colliding with
 * what is there: a user doing the walkthrough's Exercise 3 takes the next numbers after the
 * last message (148, 149) and the name Techo, so tests take the highest free numbers below 256
 * and a name nobody has declared yet.
 */
import { loadSchemaDir } from "../../codegen/load.js";
import { methodName } from "../../codegen/emit/names.js";

export interface FreeMessage {
  request: string;
  reply: string;
  requestType: number;
  replyType: number;
  /** The client method and handler name (`Techo` -> `echo`). */
  method: string;
  /** The schema text declaring both, as `sigma fmt` writes it. */
  schema: string;
}

/** Message type numbers are a u8. */
const MAX_TYPE = 255;

export async function freeMessage(schemaDir: string, stem = "echo"): Promise<FreeMessage> {
  const loaded = await loadSchemaDir(schemaDir);
  if (loaded.model === null) throw new Error(`${schemaDir} does not load`);
  const model = loaded.model;
  const taken = new Set(model.messages.map((m) => m.type));
  const names = new Set<string>([
    ...model.messages.map((m) => m.name),
    ...model.structs.map((s) => s.name),
    ...model.aliases.map((a) => a.name),
  ]);
  const free: number[] = [];
  for (let n = MAX_TYPE; n > 0 && free.length < 2; n--) if (!taken.has(n)) free.push(n);
  if (free.length < 2) throw new Error("no two free message numbers");
  const [replyType, requestType] = free as [number, number];
  let suffix = "";
  for (let i = 2; names.has(`T${stem}${suffix}`) || names.has(`R${stem}${suffix}`); i++) {
    suffix = String(i);
  }
  const request = `T${stem}${suffix}`;
  const reply = `R${stem}${suffix}`;
  return {
    request,
    reply,
    requestType,
    replyType,
    method: methodName(request),
    schema: [
      "",
      "/// Echo text back: the walkthrough's exercise.",
      `request ${request} = ${requestType} -> ${reply} {`,
      "  text: string = 1;",
      "}",
      "",
      `reply ${reply} = ${replyType} {`,
      "  text: string = 1;",
      "}",
      "",
    ].join("\n"),
  };
}
