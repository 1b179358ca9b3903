/**
 * The layering is enforced by lint (layering.json → eslint.config.js): an import that goes the
 * wrong way, or one that closes an import circle (type-only imports included), fails `npm run
 * lint`. Violations are planted as the text of a file linted through ESLint's Node API, so the
 * repository is never changed.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "..");

interface Layering {
  rooms: Record<string, string[]>;
  arrows: Record<string, string[]>;
  cycleFree: string[];
  knownCycles: { files: string[]; why: string }[];
}

const layering = JSON.parse(readFileSync(path.join(ROOT, "layering.json"), "utf8")) as Layering;
const eslint = new ESLint({ cwd: ROOT });

/** The layering rules' messages for `text` linted as the file `file`. */
async function layeringErrors(file: string, text: string): Promise<string[]> {
  const [result] = await eslint.lintText(text, { filePath: path.join(ROOT, file) });
  return result!.messages
    .filter((m) => m.ruleId === "import-x/no-restricted-paths" || m.ruleId?.startsWith("layering/"))
    .map((m) => `${m.line}: ${m.ruleId}: ${m.message}`);
}

describe("lint enforces layering.json", () => {
  it("fails an import that goes down-to-up: wire importing the session layer", async () => {
    const errors = await layeringErrors(
      "runtime/wire/planted.ts",
      'import { SessionClient } from "../session/index.js";\nexport const x = SessionClient;\n',
    );
    expect(errors).toEqual([
      expect.stringMatching(
        /^1: import-x\/no-restricted-paths: .*"\.\.\/session\/index\.js".*the wire room \(runtime\/wire\) may import only wire, contract, errors, ground \(layering\.json\)$/,
      ),
    ]);
  });

  it("fails an import across the house: the client importing the protocol server", async () => {
    const errors = await layeringErrors(
      "runtime/client/planted.ts",
      'import { startFileServer } from "../protsrv/file-server.js";\nexport const x = startFileServer;\n',
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /the client room \(runtime\/client\) may import only client, session, auth, wire, contract/,
    );
  });

  it("fails generated code importing anything but contract, wire and errors, and codegen importing the runtime", async () => {
    const gen = await layeringErrors(
      "generated/planted.ts",
      'import { FsLib } from "../runtime/client/index.js";\nexport const x = FsLib;\n',
    );
    expect(gen).toEqual([
      expect.stringMatching(
        /the generated room \(generated\) may import only generated, contract, wire, errors \(/,
      ),
    ]);
    const codegen = await layeringErrors(
      "codegen/planted.ts",
      'import { ErrCode } from "../generated/sigmap/types.js";\nexport const x = ErrCode;\n',
    );
    expect(codegen).toEqual([
      expect.stringMatching(/the codegen room \(codegen\) may import only codegen \(/),
    ]);
  });

  it("fails the contract room importing anything but errors: here the dispatcher", async () => {
    const errors = await layeringErrors(
      "runtime/contract/planted.ts",
      'import { dispatcherFor } from "../wire/dispatch.js";\nexport const x = dispatcherFor;\n',
    );
    expect(errors).toEqual([
      expect.stringMatching(
        /the contract room \(runtime\/contract\) may import only contract, errors \(layering\.json\)$/,
      ),
    ]);
  });

  it("fails one server importing another", async () => {
    const errors = await layeringErrors(
      "servers/memfsd/planted.ts",
      'import { startNamed } from "../named/index.js";\nexport const x = startNamed;\n',
    );
    expect(errors).toEqual([
      expect.stringMatching(/the servers room \(servers\/memfsd\) may import only servers, proc/),
    ]);
  });

  it("lets a room import what its arrow lists, and packages", async () => {
    const errors = await layeringErrors(
      "runtime/session/planted.ts",
      `import { pack } from "../wire/msgpack.js";
import { SigmaError } from "../errors/index.js";
import { ErrCode } from "../../generated/sigmap/types.js";
import { Packr } from "msgpackr";
export const x = [pack, SigmaError, ErrCode, Packr];
`,
    );
    expect(errors).toEqual([]);
  });

  it("fails an import that closes a circle, naming it", async () => {
    // contract/index.ts re-exports registry.ts; registry.ts importing the index closes a circle.
    const text = readFileSync(path.join(ROOT, "runtime/contract/registry.ts"), "utf8");
    const errors = await layeringErrors(
      "runtime/contract/registry.ts",
      `import { NO_DATA } from "./index.js";\nexport const _planted = NO_DATA;\n${text}`,
    );
    expect(errors).toEqual([
      "1: layering/no-import-cycle: import circle: runtime/contract/registry.ts → runtime/contract/index.ts → runtime/contract/registry.ts (layering.json; type-only imports count)",
    ]);
  });

  it("counts a circle made of type-only imports", async () => {
    const text = readFileSync(path.join(ROOT, "runtime/contract/registry.ts"), "utf8");
    const errors = await layeringErrors(
      "runtime/contract/registry.ts",
      `import type { Transport } from "./index.js";\nexport type _Planted = Transport;\n${text}`,
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /import circle: runtime\/contract\/registry\.ts → runtime\/contract\/index\.ts/,
    );
  });

  it("knows no circles: the client wing's old ones fail when planted back", async () => {
    expect(layering.knownCycles).toEqual([]);
    const fslib = "runtime/client/fslib/fslib.ts";
    expect(await layeringErrors(fslib, readFileSync(path.join(ROOT, fslib), "utf8"))).toEqual([]);
    // dir-ops reaching back into FsLib, as it did through @internal getters.
    const dirOps = "runtime/client/fslib/dir-ops.ts";
    const back = await layeringErrors(
      dirOps,
      `import { FsLib } from "./fslib.js";\nexport const _planted = FsLib;\n${readFileSync(path.join(ROOT, dirOps), "utf8")}`,
    );
    expect(back).toEqual([
      expect.stringMatching(
        /^1: layering\/no-import-cycle: import circle: runtime\/client\/fslib\/dir-ops\.ts → runtime\/client\/fslib\/fslib\.ts → /,
      ),
    ]);
    // walk-path calling path-client back, as it did before resolver.ts.
    const walk = "runtime/client/path/walk-path.ts";
    const errors = await layeringErrors(
      walk,
      `import { PathClient } from "./path-client.js";\nexport const _planted = PathClient;\n${readFileSync(path.join(ROOT, walk), "utf8")}`,
    );
    expect(errors).toEqual([
      expect.stringMatching(
        /^1: layering\/no-import-cycle: import circle: runtime\/client\/path\/walk-path\.ts → runtime\/client\/path\/path-client\.ts/,
      ),
    ]);
  });
});

describe("layering.json", () => {
  it("has arrows between its rooms only, for every room, and they form no circle", () => {
    const rooms = Object.keys(layering.rooms);
    expect(Object.keys(layering.arrows).sort()).toEqual([...rooms].sort());
    for (const [room, to] of Object.entries(layering.arrows)) {
      for (const r of to) expect(rooms, `${room} → ${r}`).toContain(r);
      expect(to, room).not.toContain(room);
    }
    const state = new Map<string, "visiting" | "done">();
    const visit = (room: string, trail: string[]): void => {
      if (state.get(room) === "done") return;
      expect(state.get(room), [...trail, room].join(" → ")).not.toBe("visiting");
      state.set(room, "visiting");
      for (const r of layering.arrows[room]!) visit(r, [...trail, room]);
      state.set(room, "done");
    };
    for (const room of rooms) visit(room, []);
  });

  it("puts every folder of runtime/ in a room, and lists only files that exist", () => {
    const placed = new Set(Object.values(layering.rooms).flat());
    const runtime = readdirSync(path.join(ROOT, "runtime"), { withFileTypes: true });
    for (const e of runtime) expect(placed, `runtime/${e.name}`).toContain(`runtime/${e.name}`);
    for (const c of layering.knownCycles) {
      expect(c.why.length).toBeGreaterThan(20);
      for (const f of c.files) expect(existsSync(path.join(ROOT, f)), f).toBe(true);
    }
  });
});
