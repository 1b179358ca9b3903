import {
  copyFileSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { Project, ts } from "ts-morph";
import { afterEach, describe, expect, it } from "vitest";
import { scaffoldHandlers } from "../../codegen/scaffold.js";

const FIXTURE = path.resolve(import.meta.dirname, "../fixtures/scaffold");
const PRETTIER_RC = path.resolve(import.meta.dirname, "../../.prettierrc.json");

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

/** A throwaway project: generated/x (server + types), runtime/errors, servers/handlers.ts. */
function fixtureProject(): string {
  const root = mkdtempSync(path.join(os.tmpdir(), "sigmats-scaffold-"));
  roots.push(root);
  cpSync(FIXTURE, root, { recursive: true });
  copyFileSync(PRETTIER_RC, path.join(root, ".prettierrc.json"));
  return root;
}

function read(root: string, file: string): string {
  return readFileSync(path.join(root, file), "utf8");
}

function typeErrors(root: string): string[] {
  const project = new Project({
    compilerOptions: {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
    },
  });
  project.addSourceFilesAtPaths(path.join(root, "**/*.ts"));
  return project.getPreEmitDiagnostics().map((d) => {
    const text = d.getMessageText();
    const message =
      typeof text === "string" ? text : ts.flattenDiagnosticMessageText(text.compilerObject, "\n");
    return `${d.getSourceFile()?.getBaseName()}: ${message}`;
  });
}

const EXPECTED_HANDLERS = `import type { XHandlers } from "../generated/x/server.js";
import type { Rattach, Rclunk, Rwalk, Tattach, Tclunk, Twalk } from "../generated/x/types.js";
import type { ConnCtx } from "./conn.js";
import { ErrCode } from "../generated/x/types.js";
import { SigmaError } from "../runtime/errors/index.js";

/** The fixture's hand-written handlers: only attach so far. */
export class Handlers implements XHandlers<ConnCtx> {
  async attach(req: Tattach, _ctx: ConnCtx): Promise<Rattach> {
    return { qid: { type: 0, version: 0, path: BigInt(req.fid) } };
  }

  async walk(_req: Twalk, _ctx: ConnCtx): Promise<Rwalk> {
    throw new SigmaError(ErrCode.NotSupported, "walk");
  }

  async clunk(_req: Tclunk, _ctx: ConnCtx): Promise<Rclunk> {
    throw new SigmaError(ErrCode.NotSupported, "clunk");
  }
}
`;

describe("scaffoldHandlers", () => {
  it("stubs the missing handlers with the class's context type and imports what they name", async () => {
    const root = fixtureProject();
    const result = await scaffoldHandlers({ projectRoot: root });
    expect(result.changed).toEqual([
      { file: "servers/handlers.ts", added: ["Handlers.walk", "Handlers.clunk"] },
    ]);
    expect(read(root, "servers/handlers.ts")).toBe(EXPECTED_HANDLERS);
  });

  it("leaves a project that type-checks", async () => {
    const root = fixtureProject();
    await scaffoldHandlers({ projectRoot: root });
    expect(typeErrors(root)).toEqual([]);
  });

  it("stubs reject with NotSupported rather than throw synchronously", async () => {
    const root = fixtureProject();
    await scaffoldHandlers({ projectRoot: root });
    const mod = (await import(path.join(root, "servers/handlers.ts"))) as {
      Handlers: new () => { walk(req: unknown, ctx: unknown): Promise<unknown> };
    };
    const call = new mod.Handlers().walk({}, {});
    await expect(call).rejects.toMatchObject({ code: 21, obj: "walk" });
  });

  it("is idempotent: a second run reports nothing and leaves the file byte-identical", async () => {
    const root = fixtureProject();
    await scaffoldHandlers({ projectRoot: root });
    const first = read(root, "servers/handlers.ts");
    const again = await scaffoldHandlers({ projectRoot: root });
    expect(again.changed).toEqual([]);
    expect(read(root, "servers/handlers.ts")).toBe(first);
  });

  it("counts inherited methods and follows an index re-export", async () => {
    const root = fixtureProject();
    writeFileSync(
      path.join(root, "servers/handlers.ts"),
      `import * as x from "../generated/x/index.js";
import type { ConnCtx } from "./conn.js";

class Base {
  async walk(_req: x.Twalk, _ctx: ConnCtx): Promise<x.Rwalk> {
    return { qids: [] };
  }
}

export class Handlers extends Base implements x.XHandlers<ConnCtx> {}
`,
    );
    const result = await scaffoldHandlers({ projectRoot: root });
    expect(result.changed).toEqual([
      { file: "servers/handlers.ts", added: ["Handlers.attach", "Handlers.clunk"] },
    ]);
    expect(typeErrors(root)).toEqual([]);
  });

  it("keeps a hand-formatted file's layout, indentation and import style", async () => {
    const root = fixtureProject();
    writeFileSync(
      path.join(root, "servers/base.ts"),
      `import type { Rwalk, Twalk } from "../generated/x/types.js";

export class Base<C> {
  async walk(_req: Twalk, _ctx: C): Promise<Rwalk> {
    return { qids: [] };
  }
}
`,
    );
    const before = `import { type XHandlers as H } from "../generated/x/index.js";
import { Base } from "./base.js";
import type { ConnCtx } from "./conn.js";
import { ErrCode, type Tattach } from "../generated/x/types.js";

export class Handlers extends Base<ConnCtx> implements H<ConnCtx> {
    async attach(req:Tattach, _ctx: ConnCtx) { return { qid: { type: ErrCode.Notfound, version: 0, path: BigInt(req.fid) } } }
}
`;
    writeFileSync(path.join(root, "servers/handlers.ts"), before);
    const result = await scaffoldHandlers({ projectRoot: root });
    expect(result.changed).toEqual([{ file: "servers/handlers.ts", added: ["Handlers.clunk"] }]);
    expect(read(root, "servers/handlers.ts"))
      .toBe(`import { type XHandlers as H } from "../generated/x/index.js";
import { Base } from "./base.js";
import type { ConnCtx } from "./conn.js";
import { ErrCode, type Rclunk, type Tattach, type Tclunk } from "../generated/x/types.js";
import { SigmaError } from "../runtime/errors/index.js";

export class Handlers extends Base<ConnCtx> implements H<ConnCtx> {
    async attach(req:Tattach, _ctx: ConnCtx) { return { qid: { type: ErrCode.Notfound, version: 0, path: BigInt(req.fid) } } }

    async clunk(_req: Tclunk, _ctx: ConnCtx): Promise<Rclunk> {
        throw new SigmaError(ErrCode.NotSupported, "clunk");
    }
}
`);
    expect(typeErrors(root)).toEqual([]);
  });

  it("stubs RPC service handlers declared in a generated rpc-server.ts", async () => {
    const root = fixtureProject();
    mkdirSync(path.join(root, "generated/svc"), { recursive: true });
    writeFileSync(
      path.join(root, "generated/svc/rpc-server.ts"),
      `import type { Tclunk, Rclunk } from "../x/types.js";
export interface PingHandlers<Ctx> {
  ping(req: Tclunk, ctx: Ctx): Promise<Rclunk>;
  pong(req: Tclunk, ctx: Ctx): Promise<Rclunk>;
}
`,
    );
    writeFileSync(
      path.join(root, "servers/ping.ts"),
      `import type { PingHandlers } from "../generated/svc/rpc-server.js";
import type { Rclunk, Tclunk } from "../generated/x/types.js";

export class Ping implements PingHandlers<string> {
  async ping(_req: Tclunk, _ctx: string): Promise<Rclunk> {
    return {};
  }
}
`,
    );
    const result = await scaffoldHandlers({ projectRoot: root });
    expect(result.changed).toContainEqual({ file: "servers/ping.ts", added: ["Ping.pong"] });
    expect(read(root, "servers/ping.ts")).toContain(
      "async pong(_req: Tclunk, _ctx: string): Promise<Rclunk> {",
    );
    expect(typeErrors(root)).toEqual([]);
  });

  it("ignores classes that implement interfaces outside generated/", async () => {
    const root = fixtureProject();
    const source = `import type { ConnCtx } from "./conn.js";
// mentions generated/ only in a comment
export class Plain implements ConnCtx {
  session = 0n;
}
`;
    writeFileSync(path.join(root, "servers/handlers.ts"), source);
    expect((await scaffoldHandlers({ projectRoot: root })).changed).toEqual([]);
    expect(read(root, "servers/handlers.ts")).toBe(source);
  });
});
