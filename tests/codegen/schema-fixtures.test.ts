import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { diagnosticsToJson, renderDiagnostics } from "../../codegen/diagnostics.js";
import { loadSchemaDir } from "../../codegen/load.js";

const root = path.join(import.meta.dirname, "../fixtures/schema");
const cases = (kind: string) => readdirSync(path.join(root, kind)).sort();

describe("schemas that must load", () => {
  it.each(cases("ok"))("%s loads without diagnostics", async (name) => {
    const r = await loadSchemaDir(path.join(root, "ok", name));
    expect(renderDiagnostics(r.diagnostics, r.sources)).toBe("");
    expect(r.model).not.toBeNull();
  });

  it("the project schema loads without diagnostics", async () => {
    const r = await loadSchemaDir(path.join(import.meta.dirname, "../../schema"));
    expect(renderDiagnostics(r.diagnostics, r.sources)).toBe("");
    expect(r.model?.messages.length).toBeGreaterThan(30);
  });
});

describe("schemas that must fail", () => {
  it.each(cases("fail"))("%s", async (name) => {
    const dir = path.join(root, "fail", name);
    const r = await loadSchemaDir(dir);
    const code = name.slice(0, 6);
    expect(r.model).toBeNull();
    expect(r.diagnostics.map((d) => d.code)).toContain(code);
    await expect(renderDiagnostics(r.diagnostics, r.sources)).toMatchFileSnapshot(
      path.join(dir, "expected.txt"),
    );
  });

  it("renders JSON with code, position and related locations", async () => {
    const r = await loadSchemaDir(path.join(root, "fail", "SIG012-duplicate-message-number"));
    const json = JSON.parse(diagnosticsToJson(r.diagnostics)) as unknown[];
    expect(json).toEqual([
      {
        code: "SIG012",
        severity: "error",
        message: "message number 10 is already used",
        span: { file: "main.sigmap", line: 3, col: 14, offset: 60, length: 2 },
        related: [
          {
            message: "first used here",
            span: { file: "main.sigmap", line: 2, col: 14, offset: 35, length: 2 },
          },
        ],
      },
    ]);
  });
});
