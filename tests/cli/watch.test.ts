/**
 * `sigma watch` says what happened: the watch only says "changed", so the command relists and
 * compares (see bin/commands/watch-events.ts for what that cannot see).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FsLib } from "../../runtime/client/index.js";
import { startNamed, type Named } from "../../servers/named/index.js";
import { inFlight } from "../support/in-flight.js";
import { serverCounter, serverCounterReaches } from "../support/server-stats.js";
import { type CliResult, sigmaIn } from "./run-cli.js";

let named: Named;
let fsl: FsLib;
beforeAll(async () => {
  named = await startNamed();
  fsl = await FsLib.connect({ named: [named.addr] });
});
afterAll(async () => {
  await fsl?.close();
  await named?.close();
});

const data = new TextEncoder().encode("x");
let n = 0;

/** A fresh directory holding `files`. */
async function dirWith(...files: string[]): Promise<string> {
  const d = `name/tmp/watch${n++}`;
  await fsl.mkDir(d);
  for (const f of files) await fsl.putFile(`${d}/${f}`, 0o777, 0, data);
  return d;
}

/** Runs `sigma watch PATH`, waits until its watch is armed on named, then does `change`. */
async function watchWhile(
  path: string,
  change: () => Promise<void>,
  json = false,
): Promise<CliResult> {
  const watches = await serverCounter(fsl, "Nwatch");
  const args = ["watch", path, "--named", named.addr, ...(json ? ["--json"] : [])];
  const watching = inFlight(sigmaIn(args));
  await serverCounterReaches(fsl, "Nwatch", watches + 1);
  await change();
  return watching;
}

describe("sigma watch", () => {
  it("a directory: created, removed, renamed, replaced", async () => {
    const d = await dirWith("a", "b");
    expect(await watchWhile(d, () => fsl.putFile(`${d}/new`, 0o777, 0, data).then())).toEqual({
      code: 0,
      stdout: `${d}: created new\n`,
      stderr: "",
    });
    expect((await watchWhile(d, () => fsl.remove(`${d}/new`))).stdout).toBe(`${d}: removed new\n`);
    expect((await watchWhile(d, () => fsl.rename(`${d}/a`, `${d}/c`))).stdout).toBe(
      `${d}: renamed a -> c\n`,
    );
    expect((await watchWhile(d, () => fsl.rename(`${d}/c`, `${d}/b`))).stdout).toBe(
      `${d}: renamed c -> b\n`,
    );
  });

  it("a file: removed, renamed within its directory, replaced", async () => {
    const d = await dirWith("f", "g", "h");
    expect((await watchWhile(`${d}/f`, () => fsl.rename(`${d}/f`, `${d}/f2`))).stdout).toBe(
      `${d}: renamed f -> f2\n`,
    );
    expect((await watchWhile(`${d}/g`, () => fsl.remove(`${d}/g`))).stdout).toBe(
      `${d}: removed g\n`,
    );
    expect((await watchWhile(`${d}/h`, () => fsl.rename(`${d}/f2`, `${d}/h`))).stdout).toBe(
      `${d}: replaced h\n`,
    );
  });

  it("--json lists the events", async () => {
    const d = await dirWith("a");
    const r = await watchWhile(d, () => fsl.rename(`${d}/a`, `${d}/z`), true);
    expect(JSON.parse(r.stdout)).toEqual({
      path: d,
      events: [{ event: "renamed", from: "a", to: "z" }],
    });
  });
});
