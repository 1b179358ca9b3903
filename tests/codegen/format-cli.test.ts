import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runFmt } from "../../codegen/format-cli.js";

const messy = "alias  A=u8 ;\n";
const tidy = "alias A = u8;\n";

const roots: string[] = [];
afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

function project(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), "sigma-fmt-"));
  roots.push(root);
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, p)), { recursive: true });
    writeFileSync(path.join(root, p), text);
  }
  return root;
}

describe("runFmt", () => {
  it("--check lists unformatted files and writes nothing", async () => {
    const root = project({ "schema/a.sigmap": messy, "schema/sub/b.sigmap": tidy });
    const r = await runFmt({ projectRoot: root, check: true });
    expect(r.exitCode).toBe(1);
    expect(r.output).toContain("schema/a.sigmap");
    expect(r.output).not.toContain("b.sigmap");
    expect(readFileSync(path.join(root, "schema/a.sigmap"), "utf8")).toBe(messy);
  });

  it("rewrites only the files that change", async () => {
    const root = project({
      "schema/a.sigmap": messy,
      "tests/fixtures/schema/ok/x/b.sigmap": messy,
    });
    const r = await runFmt({ projectRoot: root, check: false });
    expect(r).toEqual({
      exitCode: 0,
      output: "formatted schema/a.sigmap\nformatted tests/fixtures/schema/ok/x/b.sigmap\n",
    });
    expect(readFileSync(path.join(root, "schema/a.sigmap"), "utf8")).toBe(tidy);
    expect(await runFmt({ projectRoot: root, check: true })).toEqual({ exitCode: 0, output: "" });
  });

  it("exits 2 with diagnostics on a syntax error and leaves that file alone", async () => {
    const root = project({ "schema/a.sigmap": "struct {\n", "schema/b.sigmap": messy });
    const r = await runFmt({ projectRoot: root, check: false, files: ["schema/a.sigmap"] });
    expect(r.exitCode).toBe(2);
    expect(r.output).toMatch(/^schema\/a\.sigmap:1:8: error SIG001/m);
    expect(readFileSync(path.join(root, "schema/a.sigmap"), "utf8")).toBe("struct {\n");
    expect(readFileSync(path.join(root, "schema/b.sigmap"), "utf8")).toBe(messy);
  });
});
