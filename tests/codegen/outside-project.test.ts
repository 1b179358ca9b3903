/**
 * `sigma gen` for someone else's protocol: a project outside this repository with its own
 * schema/, generated the way `npx sigma gen` does it there, imports the runtime by package name
 * (`sigmats/...`) and type-checks under `strict` with `module: nodenext`. The project resolves
 * `sigmats` to this repository's sources (tsconfig paths), so no build or pack is needed; the
 * packed-package variant can swap the paths for an installed tarball.
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { generate } from "../../codegen/generate.js";
import { packageSources } from "../support/package-sources.js";

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, "../..");

/** What the project's `import ... from "sigmats/..."` resolves to: the exports map, in sources. */
const SIGMATS_PATHS = Object.fromEntries(
  [...packageSources()].map(([name, file]) => [name, [file]]),
);

/** The code blocks of docs/schema.md's "Your own protocol": the schema, then the program. */
async function ownProtocolSnippets(): Promise<{ schema: string; program: string }> {
  const doc = await readFile(path.join(ROOT, "docs/schema.md"), "utf8");
  const section = doc.slice(doc.indexOf("## Your own protocol"));
  const block = (lang: string): string => {
    const text = new RegExp("```" + lang + "\\n([\\s\\S]*?)```").exec(section)?.[1];
    if (text === undefined)
      throw new Error(`docs/schema.md: no ${lang} block in Your own protocol`);
    return text;
  };
  return { schema: block("sigmap"), program: block("ts") };
}

/** A client of the same protocol whose call fails on the server. */
const FAILING_CALL = `import { ErrCode, SessionClient, SigmaError, startSessionServer } from "sigmats";
import type { RequestContext } from "sigmats";
import { KvClient, kvServer, type KvHandlers, type Rget, type Tget } from "./generated/kv/index.js";

class Kv implements KvHandlers<RequestContext> {
  async get(req: Tget): Promise<Rget> {
    throw new SigmaError(ErrCode.Notfound, req.key);
  }
}

const server = await startSessionServer({ ...kvServer(new Kv()), port: 0 });
const session = await SessionClient.open({ addrs: [server.addr] });
const failed = await new KvClient(session).get({ key: "nokey" }).then(
  () => "no error",
  (e: unknown) => String(e),
);
await session.close();
await server.close();
console.log(failed);
`;

let dir: string;
afterEach(() => rm(dir, { recursive: true, force: true }));

/** A project that depends on sigmats: package.json, tsconfig.json, schema/. */
async function project(schemas: Record<string, string>): Promise<void> {
  dir = await mkdtemp(path.join(tmpdir(), "sigmats-outside-"));
  await writeFile(
    path.join(dir, "package.json"),
    JSON.stringify({ name: "my-app", type: "module", dependencies: { sigmats: "*" } }),
  );
  await writeFile(
    path.join(dir, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        module: "nodenext",
        moduleResolution: "nodenext",
        target: "ES2022",
        noEmit: true,
        skipLibCheck: true,
        typeRoots: [path.join(ROOT, "node_modules/@types")],
        types: ["node"],
        paths: SIGMATS_PATHS,
      },
      include: ["*.ts", "generated"],
    }),
  );
  await mkdir(path.join(dir, "schema"));
  for (const [name, text] of Object.entries(schemas)) {
    await writeFile(path.join(dir, "schema", name), text);
  }
}

async function typecheck(): Promise<string> {
  const tsc = path.join(ROOT, "node_modules/typescript/bin/tsc");
  try {
    await run(process.execPath, [tsc, "-p", dir], { cwd: dir });
    return "";
  } catch (e) {
    return String((e as { stdout?: string }).stdout ?? e);
  }
}

describe("sigma gen in a project outside this repository", () => {
  it("generates a two-message protocol that imports sigmats by name and type-checks", async () => {
    const doc = await ownProtocolSnippets();
    await project({ "kv.sigmap": doc.schema });
    const r = await generate({ projectRoot: dir });
    expect(r.diagnostics).toEqual([]);
    expect(r.files.map((f) => f.path).sort()).toEqual([
      "generated/index.ts",
      "generated/kv/client.ts",
      "generated/kv/codec.ts",
      "generated/kv/index.ts",
      "generated/kv/registry.ts",
      "generated/kv/server.ts",
      "generated/kv/types.ts",
    ]);
    const specifiers = new Set<string>();
    for (const f of r.files) {
      for (const m of f.content.matchAll(/from "([^"]+)"/g)) specifiers.add(m[1]!);
    }
    // What a schema without an error table or session messages takes from sigmats' own protocol.
    expect([...specifiers].filter((s) => !s.startsWith(".")).sort()).toEqual([
      "sigmats/contract",
      "sigmats/sigmap",
      "sigmats/wire",
    ]);
    const registry = await readFile(path.join(dir, "generated/kv/registry.ts"), "utf8");
    expect(registry).toContain("messages: [TgetDesc, ...sessionMessages]");
    await writeFile(path.join(dir, "main.ts"), doc.program);
    await writeFile(path.join(dir, "failing.ts"), FAILING_CALL);
    expect(await typecheck()).toBe("");
  }, 120_000);

  it("serves the generated protocol over the session layer and calls it", async () => {
    const doc = await ownProtocolSnippets();
    await project({ "kv.sigmap": doc.schema });
    expect((await generate({ projectRoot: dir })).diagnostics).toEqual([]);
    await writeFile(path.join(dir, "main.ts"), doc.program);
    await writeFile(path.join(dir, "failing.ts"), FAILING_CALL);
    // tsx resolves `sigmats` through the project's tsconfig paths, as tsc does.
    const tsx = path.join(ROOT, "node_modules/tsx/dist/cli.mjs");
    const ok = await run(process.execPath, [tsx, "main.ts"], { cwd: dir });
    expect(ok.stdout).toBe("HELLO\n");
    // The error reply and the error table are sigmats': the server's SigmaError comes back whole.
    const failing = await run(process.execPath, [tsx, "failing.ts"], { cwd: dir });
    expect(failing.stdout).toBe("SigmaError: not found: nokey\n");
  }, 60_000);

  it("generates docs/schema.md's example, imports and all, and it type-checks", async () => {
    const doc = await readFile(path.join(ROOT, "docs/schema.md"), "utf8");
    const example = /## A first example\n\n```sigmap\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(example).toBeDefined();
    await project({
      "kv.sigmap": example!,
      "records.sigmap": "/// A stored value.\nstruct Value {\n  data: bytes = 1;\n}\n",
    });
    const r = await generate({ projectRoot: dir });
    expect(r.diagnostics).toEqual([]);
    expect(r.files.map((f) => f.path)).toContain("generated/records/codec.ts");
    expect(await typecheck()).toBe("");
  }, 120_000);
});
