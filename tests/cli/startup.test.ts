/**
 * What a `sigma` run loads: only the room of the command it runs. `sigma ls` must not import the
 * code generator (about a second of every call before); the time itself is a benchmark row
 * (`npm run bench -- cli`), not a timed test.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Command } from "commander";
import { describe, expect, it } from "vitest";
import { COMMAND_GROUPS } from "../../bin/run-sigma.js";
import type { CliIo } from "../../bin/commands/cli-io.js";
import { ROOT, shell } from "./run-cli.js";

/** The module URLs `sigma ARGS` resolves (the command may fail: only its imports matter). */
async function importsOf(args: string): Promise<string[]> {
  const dir = await mkdtemp(path.join(tmpdir(), "sigma-imports-"));
  try {
    const log = path.join(dir, "log");
    const hook = path.join(ROOT, "tests/cli/fixtures/import-log.mjs");
    const r = await shell(`node --import ${hook} --import tsx bin/sigma.ts ${args}`, {
      IMPORT_LOG: log,
    });
    expect(r.stderr).not.toMatch(/Error \[|at file:/);
    return (await readFile(log, "utf8")).trim().split("\n");
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const GENERATOR = /\/codegen\/|\/node_modules\/(ts-morph|prettier|handlebars|ohm-js|@ts-morph)\//;

describe("start-up", () => {
  it("sigma ls loads no code generator; sigma check does", async () => {
    const ls = await importsOf("ls name/ --named 127.0.0.1:1");
    expect(ls.some((u) => u.includes("/runtime/client/"))).toBe(true);
    expect(ls.filter((u) => GENERATOR.test(u))).toEqual([]);
    const version = await importsOf("--version");
    expect(version.filter((u) => GENERATOR.test(u) || u.includes("/runtime/client/"))).toEqual([]);
    const check = await importsOf("check");
    expect(check.some((u) => u.includes("/codegen/load."))).toBe(true);
  });

  it("each command group registers exactly the commands it names", async () => {
    const io = {} as CliIo; // registration only declares commands; it writes nothing
    const seen = new Set<string>();
    for (const group of COMMAND_GROUPS) {
      const program = new Command("sigma");
      (await group.load())(program, () => undefined, io);
      const names = program.commands.map((c) => c.name());
      expect(names.sort()).toEqual([...group.names].sort());
      for (const n of names) {
        expect(seen.has(n)).toBe(false);
        seen.add(n);
      }
    }
  });
});
