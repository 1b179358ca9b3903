/**
 * Walkthrough Exercise 3, performed for real in a temporary copy of the project, with the
 * snippets of docs/walkthrough.md: add a message to the schema, regenerate, see the server stop
 * type-checking without a handler, let `sigma gen` scaffold the stub, write the handler, see
 * that the schema and the handlers are the only hand-edited files, start named and call the
 * generated FsLib method as the doc does. The doc's numbers and name are the ones a user takes
 * first; the test swaps in free ones, so it passes after the exercise was done for real.
 */
import { execFile } from "node:child_process";
import {
  appendFile,
  cp,
  mkdtemp,
  readdir,
  readFile,
  rm,
  symlink,
  writeFile,
} from "node:fs/promises";
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
async function exerciseSnippets(): Promise<{ schema: string; handler: string; call: string }> {
  const doc = await readFile(path.join(projectRoot, "docs/walkthrough.md"), "utf8");
  const section = doc.slice(doc.indexOf("## Exercise 3"));
  const blocks = [...section.matchAll(/^( *)```(\w+)\n([\s\S]*?)^\1```$/gm)].map((m) => ({
    lang: m[2],
    text: m[3]!.replace(new RegExp(`^${m[1]}`, "gm"), ""),
  }));
  const schema = blocks.find((b) => b.lang === "sigmap")?.text;
  const [handler, call] = blocks.filter((b) => b.lang === "ts").map((b) => b.text);
  if (schema === undefined || handler === undefined || call === undefined) {
    throw new Error("Exercise 3 snippets missing");
  }
  return { schema, handler, call };
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

/** Files under the copied folders, generated/ aside, whose content differs from the project's. */
async function handEdited(): Promise<string[]> {
  const changed: string[] = [];
  for (const top of COPY.filter((p) => p !== "generated")) {
    const entries = await readdir(path.join(dir, top), {
      recursive: true,
      withFileTypes: true,
    }).catch(() => null);
    const files =
      entries === null
        ? [top]
        : entries
            .filter((e) => e.isFile())
            .map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
    for (const f of files) {
      const mine = await readFile(path.join(dir, f), "utf8");
      const theirs = await readFile(path.join(projectRoot, f), "utf8").catch(() => null);
      if (mine !== theirs) changed.push(f);
    }
  }
  return changed.sort();
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

    // One schema entry plus one handler: nothing else outside generated/ was edited, FsLib included.
    expect(await handEdited()).toEqual(["runtime/protsrv/handlers.ts", "schema/sigmap.sigmap"]);

    // 5. Start named from the copy and call the generated FsLib method: the doc's call, then one
    // whose whole reply is checked.
    const script = path.join(dir, "call-echo.ts");
    await writeFile(
      script,
      `import { FsLib } from "./runtime/client/index.js";
import { startNamed } from "./servers/named/index.js";
const named = await startNamed();
${renamed(doc.call, echo).trim()}
const reply = await fsl.${echo.method}({ text: "hello, exercise" });
await fsl.exit();
await named.close();
console.log(JSON.stringify(reply));
`,
    );
    const { stdout } = await run(process.execPath, ["--import", "tsx", script], { cwd: dir });
    const lines = stdout.trim().split("\n");
    expect(lines[0]).toBe("hi");
    expect(JSON.parse(lines[lines.length - 1]!)).toEqual({ text: "hello, exercise" });
    // gen, two type checks and a run in a copy of the repo: ~58 s seen on a busy 2-core machine.
  }, 150_000);
});
