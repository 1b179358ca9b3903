import { cp, mkdtemp, readFile, rm, writeFile, appendFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runGen, type Io } from "../../codegen/cli.js";
import { generate } from "../../codegen/generate.js";
import { freeMessage } from "../support/free-message.js";

const projectRoot = path.resolve(import.meta.dirname, "../..");

function capture(): Io & { text: () => string } {
  let buf = "";
  return { out: (s) => void (buf += s), err: (s) => void (buf += s), text: () => buf };
}

describe("drift check", () => {
  it("generated/ in the repository matches the schema", async () => {
    const r = await generate({ projectRoot, check: true });
    expect(r.diagnostics).toEqual([]);
    expect(r.problems).toEqual([]);
    expect(r.files.filter((f) => f.changed).map((f) => f.path)).toEqual([]);
    expect(r.stale).toEqual([]);
  });

  describe("in a scratch copy", () => {
    let dir: string;
    beforeEach(async () => {
      dir = await mkdtemp(path.join(tmpdir(), "sigmats-drift-"));
      // package.json names the project sigmats: generated code imports the runtime relatively.
      for (const p of ["schema", "generated", ".prettierrc.json", "package.json"]) {
        await cp(path.join(projectRoot, p), path.join(dir, p), { recursive: true });
      }
    });
    afterEach(() => rm(dir, { recursive: true, force: true }));
    const check = async () => {
      const io = capture();
      const code = await runGen(
        { projectRoot: dir, check: true, prettier: true, format: "text" },
        io,
      );
      return { code, text: io.text() };
    };

    it("passes when nothing changed", async () => {
      expect((await check()).code).toBe(0);
    });

    it("fails on a hand edit of a generated file, and gen restores it", async () => {
      const file = path.join(dir, "generated/sigmap/types.ts");
      const original = await readFile(file, "utf8");
      await appendFile(file, "// hand edit\n");
      const r = await check();
      expect(r.code).toBe(1);
      expect(r.text).toContain("stale: generated/sigmap/types.ts");
      expect(
        await runGen({ projectRoot: dir, check: false, prettier: true, format: "text" }, capture()),
      ).toBe(0);
      expect(await readFile(file, "utf8")).toBe(original);
    });

    it("fails on a file the schema no longer produces", async () => {
      await writeFile(path.join(dir, "generated/sigmap/old.ts"), "export {};\n");
      const r = await check();
      expect(r.code).toBe(1);
      expect(r.text).toContain("generated/sigmap/old.ts (no longer generated)");
    });

    it("fails after a schema change until regenerated, and rewrites only changed files", async () => {
      const echo = await freeMessage(path.join(dir, "schema"));
      await appendFile(path.join(dir, "schema/sigmap.sigmap"), echo.schema);
      expect((await check()).code).toBe(1);
      const r = await generate({ projectRoot: dir });
      expect(
        r.files
          .filter((f) => f.changed)
          .map((f) => f.path)
          .sort(),
      ).toEqual([
        "generated/sigmap/client.ts",
        "generated/sigmap/codec.ts",
        "generated/sigmap/registry.ts",
        "generated/sigmap/server.ts",
        "generated/sigmap/types.ts",
      ]);
      expect((await check()).code).toBe(0);
    });

    it("reports schema errors with exit code 2 and a code frame", async () => {
      await appendFile(
        path.join(dir, "schema/sigmap.sigmap"),
        "\nrequest Tbad = 110 -> Rwalk {}\n",
      );
      const r = await check();
      expect(r.code).toBe(2);
      expect(r.text).toMatch(
        /schema\/sigmap\.sigmap:\d+:\d+: error SIG012: message number 110 is already used/,
      );
    });
  });
});
