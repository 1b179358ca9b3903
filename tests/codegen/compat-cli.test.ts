import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runCompat } from "../../codegen/compat-cli.js";

const FIXTURES = path.resolve(import.meta.dirname, "../fixtures/compat");

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

/** A project whose schema/ is the v2 of a fixture case. */
function projectWithSchema(fixtureCase: string, version: "v1" | "v2" = "v2"): string {
  const root = mkdtempSync(path.join(os.tmpdir(), "sigmats-compat-"));
  roots.push(root);
  cpSync(path.join(FIXTURES, fixtureCase, version), path.join(root, "schema"), { recursive: true });
  return root;
}

function git(root: string, ...args: string[]): void {
  execFileSync(
    "git",
    ["-C", root, "-c", "user.name=t", "-c", "user.email=t@example.com", ...args],
    {
      stdio: "ignore",
    },
  );
}

describe("runCompat", () => {
  it("exits 1 and names the rule when a directory holds a breaking older schema", async () => {
    const root = projectWithSchema("message-removed");
    const against = path.join(FIXTURES, "message-removed", "v1");
    const r = await runCompat({ projectRoot: root, against, format: "text" });
    expect(r.exitCode).toBe(1);
    expect(r.output).toMatch(/^breaking {2}wire {4}message-removed {2}Tclunk: /m);
    expect(r.output).toContain("1 breaking against");
  });

  it("exits 0 when the only changes are additions, and reports them in json", async () => {
    const root = projectWithSchema("field-added");
    const against = path.join(FIXTURES, "field-added", "v1");
    const r = await runCompat({ projectRoot: root, against, format: "json" });
    expect(r.exitCode).toBe(0);
    const report = JSON.parse(r.output) as { breaking: number; findings: { rule: string }[] };
    expect(report.breaking).toBe(0);
    expect(report.findings.map((f) => f.rule)).toEqual(["field-added"]);
  });

  it("accepts a directory that contains schema/", async () => {
    const root = projectWithSchema("unchanged");
    const older = projectWithSchema("unchanged", "v1");
    const r = await runCompat({ projectRoot: root, against: older, format: "text" });
    expect(r).toEqual({ exitCode: 0, output: `schema/ is unchanged against ${older}\n` });
  });

  it("exits 2 with diagnostics when a schema does not load", async () => {
    const root = projectWithSchema("unchanged");
    writeFileSync(path.join(root, "schema", "sigmap.sigmap"), "protocol t version 1;\nstruct {\n");
    const against = path.join(FIXTURES, "unchanged", "v1");
    const r = await runCompat({ projectRoot: root, against, format: "text" });
    expect(r.exitCode).toBe(2);
    expect(r.output).toContain("schema/sigmap.sigmap:2:");
  });

  it("exits 2 when against is neither a directory nor a ref", async () => {
    const root = projectWithSchema("unchanged");
    const r = await runCompat({ projectRoot: root, against: "no-such-ref", format: "text" });
    expect(r.exitCode).toBe(2);
    expect(r.output).toContain("neither a directory nor a git ref");
  });

  it("reads the schema at a git ref without touching the working tree", async () => {
    const root = projectWithSchema("error-renumbered", "v1");
    git(root, "init", "-q");
    git(root, "add", "schema");
    git(root, "commit", "-q", "-m", "v1");
    cpSync(path.join(FIXTURES, "error-renumbered", "v2"), path.join(root, "schema"), {
      recursive: true,
    });
    const r = await runCompat({ projectRoot: root, against: "HEAD", format: "json" });
    expect(r.exitCode).toBe(1);
    const report = JSON.parse(r.output) as { findings: { rule: string; subject: string }[] };
    expect(report.findings).toMatchObject([{ rule: "error-renumbered", subject: "Exists" }]);
  });
});
