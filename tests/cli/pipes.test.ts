/**
 * A closed stdout ends a command quietly with exit 0, as Unix tools do: `sigma ls | head -1`,
 * `sigma cat big | head -c 10`. Real processes in real pipes (bash, for pipefail).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FsLib } from "../../runtime/client/index.js";
import { startNamed, type Named } from "../../servers/named/index.js";
import { shell } from "./run-cli.js";

let named: Named;
let fsl: FsLib;
const BIG = 24 << 20;
beforeAll(async () => {
  named = await startNamed();
  fsl = await FsLib.connect({ named: [named.addr] });
  // A listing far larger than a pipe's buffer, so that ls is still writing when head exits.
  await fsl.mkDir("name/tmp/many");
  const long = "x".repeat(200);
  await Promise.all(
    Array.from({ length: 400 }, (_, i) =>
      fsl.putFile(`name/tmp/many/${i}-${long}`, 0o777, 0, new Uint8Array()),
    ),
  );
  const w = await fsl.createWriter("name/tmp/big", 0o777);
  const chunk = new Uint8Array(1 << 20).fill(97);
  for (let i = 0; i < BIG >> 20; i++) await w.write(chunk);
  await w.close();
});
afterAll(async () => {
  await fsl?.close();
  await named?.close();
});

const bash = (script: string) =>
  shell(`exec bash -o pipefail -c '${script}'`, { SIGMA_NAMED: named.addr });

describe("a closed stdout", () => {
  it("ends ls quietly with exit 0", async () => {
    const r = await bash("$SIGMA ls name/tmp/many name/tmp/many name/tmp/many | head -1");
    expect(r).toEqual({ code: 0, stdout: `0-${"x".repeat(200)}\n`, stderr: "" });
  });

  it("ends cat of a big file quietly with exit 0", async () => {
    const r = await bash("$SIGMA cat name/tmp/big | head -c 10");
    expect(r).toEqual({ code: 0, stdout: "aaaaaaaaaa", stderr: "" });
  });

  it("a full disk is still an error (ENOSPC is no closed reader)", async () => {
    const r = await bash("$SIGMA cat name/tmp/big > /dev/full");
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^sigma: name\/tmp\/big: .*ENOSPC.*\n$/);
  });
});
