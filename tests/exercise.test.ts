/**
 * Walkthrough Exercise 3, performed for real in a temporary copy of the project: add a message to
 * the schema, regenerate, see the server stop type-checking without a handler, let `sigma gen`
 * scaffold the stub, write the handler, start named and call the new client method.
 */
import { execFile } from "node:child_process";
import { cp, mkdtemp, readFile, rm, symlink, writeFile, appendFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runGen, type Io } from "../codegen/cli.js";
import { scaffoldHandlers } from "../codegen/scaffold.js";

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

const ECHO = `
/// Echo text back: the walkthrough's exercise.
request Techo = 148 -> Recho {
  text: string = 1;
}

reply Recho = 149 {
  text: string = 1;
}
`;

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
    // 1. The schema entry.
    await appendFile(path.join(dir, "schema/sigmap.sigmap"), ECHO);

    // 2. Regenerate (without scaffolding first, to see what TypeScript says).
    const gen = { projectRoot: dir, check: false, prettier: true, format: "text" as const };
    expect(await runGen({ ...gen, scaffold: false }, quiet)).toBe(0);
    const types = await readFile(path.join(dir, "generated/sigmap/types.ts"), "utf8");
    expect(types).toContain("export interface Techo");
    expect(await readFile(path.join(dir, "generated/sigmap/client.ts"), "utf8")).toContain(
      "async echo(req: Techo",
    );

    // 3. The server no longer type-checks: protsrv lacks the handler.
    const before = await typecheckServer();
    expect(before.ok).toBe(false);
    expect(before.output).toMatch(/handlers\.ts.*Property 'echo' is missing/s);

    // 4. sigma gen scaffolds a stub, which we replace with the handler.
    const scaffolded = await scaffoldHandlers({ projectRoot: dir });
    expect(scaffolded.changed).toEqual([
      { file: "runtime/protsrv/handlers.ts", added: ["ProtHandlers.echo"] },
    ]);
    const handlersFile = path.join(dir, "runtime/protsrv/handlers.ts");
    const stubbed = await readFile(handlersFile, "utf8");
    const handler = stubbed.replace(
      /async echo\(_req: Techo, _ctx: RequestContext\): Promise<Recho> \{[^}]*\}/,
      "async echo(req: Techo): Promise<Recho> {\n    return { text: req.text };\n  }",
    );
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
const reply = await new SigmapClient(sess).echo({ text: "hello, exercise" });
await sess.close();
await named.close();
console.log(JSON.stringify(reply));
`,
    );
    const { stdout } = await run(process.execPath, ["--import", "tsx", script], { cwd: dir });
    expect(JSON.parse(stdout)).toEqual({ text: "hello, exercise" });
  }, 60_000);
});
