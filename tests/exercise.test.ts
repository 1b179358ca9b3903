/**
 * Walkthrough Exercise 3, performed for real in a temporary copy of the project, with the
 * snippets of docs/walkthrough.md: add a message to the schema, regenerate, see the server stop
 * type-checking without a handler, let `sigma gen` scaffold the stub, write the handler, start
 * named and call the new client method. The doc's numbers and name are the ones a user takes
 * first; the test swaps in free ones, so it passes after the exercise was done for real.
 */
import { execFile } from "node:child_process";
import { cp, mkdtemp, readFile, rm, symlink, writeFile, appendFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runGen, type Io } from "../codegen/cli.js";
import { formatSchema } from "../codegen/format.js";
import { scaffoldHandlers } from "../codegen/scaffold.js";
import { freeMessage, type FreeMessage } from "./support/free-message.js";

const run = promisify(execFile);
const projectRoot = path.resolve(import.meta.dirname, "..");
const COPY = [
  "schema",
  "codegen",
  "generated",
  "runtime",
  "servers",
  "tsconfig.json",
  ".prettierrc.json",
  "package.json",
];

/** The code blocks of the walkthrough's Exercise 3, in order: schema, command, handler, call. */
async function exerciseSnippets(): Promise<{ schema: string; handler: string }> {
  const doc = await readFile(path.join(projectRoot, "docs/walkthrough.md"), "utf8");
  const section = doc.slice(doc.indexOf("## Exercise 3"));
  const blocks = [...section.matchAll(/^( *)```(\w+)\n([\s\S]*?)^\1```$/gm)].map((m) => ({
    lang: m[2],
    text: m[3]!.replace(new RegExp(`^${m[1]}`, "gm"), ""),
  }));
  const schema = blocks.find((b) => b.lang === "sigmap")?.text;
  const handler = blocks.filter((b) => b.lang === "ts")[0]?.text;
  if (schema === undefined || handler === undefined) throw new Error("Exercise 3 snippets missing");
  return { schema, handler };
}

/** The doc's names and numbers (Techo = 148, Recho = 149, echo) swapped for free ones. */
function renamed(text: string, free: FreeMessage): string {
  return text
    .replace(/\bTecho\b/g, free.request)
    .replace(/\bRecho\b/g, free.reply)
    .replace(/\b148\b/g, String(free.requestType))
    .replace(/\b149\b/g, String(free.replyType))
    .replace(/\becho\(/g, `${free.method}(`);
}

let dir: string;
const quiet: Io = { out: () => {}, err: () => {} };

/** Type-checks the server side of the copy: protsrv and everything it imports. */
async function typecheckServer(): Promise<{ ok: boolean; output: string }> {
  await writeFile(
    path.join(dir, "tsconfig.exercise.json"),
    JSON.stringify({ extends: "./tsconfig.json", include: ["runtime/protsrv/index.ts"] }),
  );
  const tsc = path.join(projectRoot, "node_modules/typescript/bin/tsc");
  try {
    await run(process.execPath, [tsc, "--noEmit", "-p", "tsconfig.exercise.json"], { cwd: dir });
    return { ok: true, output: "" };
  } catch (e) {
    return { ok: false, output: String((e as { stdout?: string }).stdout ?? e) };
  }
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "sigmats-exercise-"));
  for (const p of COPY) await cp(path.join(projectRoot, p), path.join(dir, p), { recursive: true });
  await symlink(path.join(projectRoot, "node_modules"), path.join(dir, "node_modules"), "dir");
});

afterAll(() => rm(dir, { recursive: true, force: true }));

describe("Exercise 3: add a sigmap message", () => {
  it("one schema entry, npm run gen, one handler, and the new call works against named", async () => {
    // 1. The schema entry, as the doc writes it: formatted as `sigma fmt` would.
    const doc = await exerciseSnippets();
    expect(formatSchema("exercise.sigmap", doc.schema).output).toBe(doc.schema);
    const echo = await freeMessage(path.join(dir, "schema"));
    await appendFile(path.join(dir, "schema/sigmap.sigmap"), `\n${renamed(doc.schema, echo)}`);

    // 2. Regenerate (without scaffolding first, to see what TypeScript says).
    const gen = { projectRoot: dir, check: false, prettier: true, format: "text" as const };
    expect(await runGen({ ...gen, scaffold: false }, quiet)).toBe(0);
    const types = await readFile(path.join(dir, "generated/sigmap/types.ts"), "utf8");
    expect(types).toContain(`export interface ${echo.request}`);
    expect(await readFile(path.join(dir, "generated/sigmap/client.ts"), "utf8")).toContain(
      `${echo.method}(req: ${echo.request}`,
    );

    // 3. The server no longer type-checks: protsrv lacks the handler.
    const before = await typecheckServer();
    expect(before.ok).toBe(false);
    expect(before.output).toMatch(
      new RegExp(`handlers\\.ts.*Property '${echo.method}' is missing`, "s"),
    );

    // 4. sigma gen scaffolds a stub, which we replace with the doc's handler.
    const scaffolded = await scaffoldHandlers({ projectRoot: dir });
    expect(scaffolded.changed).toEqual([
      { file: "runtime/protsrv/handlers.ts", added: [`ProtHandlers.${echo.method}`] },
    ]);
    const handlersFile = path.join(dir, "runtime/protsrv/handlers.ts");
    const stubbed = await readFile(handlersFile, "utf8");
    const stub = new RegExp(
      `async ${echo.method}\\(_req: ${echo.request}, _ctx: RequestContext\\): Promise<${echo.reply}> \\{[^}]*\\}`,
    );
    const handler = stubbed.replace(stub, renamed(doc.handler, echo).trim().replace(/\n/g, "\n  "));
    expect(handler).not.toBe(stubbed);
    await writeFile(handlersFile, handler);
    expect((await typecheckServer()).ok).toBe(true);

    // 5. Start named from the copy and call the new method.
    const script = path.join(dir, "call-echo.ts");
    await writeFile(
      script,
      `import { SigmapClient } from "./generated/sigmap/client.js";
import { SessionClient } from "./runtime/session/index.js";
import { startNamed } from "./servers/named/index.js";
const named = await startNamed();
const sess = await SessionClient.open({ addrs: [named.addr] });
const reply = await new SigmapClient(sess).${echo.method}({ text: "hello, exercise" });
await sess.close();
await named.close();
console.log(JSON.stringify(reply));
`,
    );
    const { stdout } = await run(process.execPath, ["--import", "tsx", script], { cwd: dir });
    expect(JSON.parse(stdout)).toEqual({ text: "hello, exercise" });
  }, 60_000);
});
