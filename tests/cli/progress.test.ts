/**
 * Progress bars: `put` and `cat` of more than a few MB show bytes and rate on a terminal (a real
 * pseudo-terminal from util-linux's `script`), and nothing when stderr is a pipe.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FsLib } from "../../runtime/client/index.js";
import { startNamed, type Named } from "../../servers/named/index.js";
import { needing } from "../support/needs-tool.js";
import { shell } from "./run-cli.js";

const MB = 1 << 20;
let named: Named;
let fsl: FsLib;
beforeAll(async () => {
  named = await startNamed();
  fsl = await FsLib.connect({ named: [named.addr] });
  await fsl.putFile("name/tmp/small", 0o777, 0, new TextEncoder().encode("small\n"));
  const w = await fsl.createWriter("name/tmp/mid", 0o777); // over putFile's one-message limit
  await w.write(new Uint8Array(5 * MB).fill(98));
  await w.close();
});
afterAll(async () => {
  await fsl?.close();
  await named?.close();
});

const env = () => ({ SIGMA_NAMED: named.addr });
/** Runs `cmd` with its stdout and stderr on a pseudo-terminal; returns what the terminal got. */
const onTty = (cmd: string) => shell(`script -qec '${cmd}' /dev/null`, env());

const tty = needing("progress on long transfers", {
  name: "script",
  provider: "Debian package bsdutils (util-linux): it gives the test a pseudo-terminal",
});
describe.skipIf(tty.missing)(tty.title, () => {
  it("put from a pipe shows bytes and rate on a terminal; cat shows bytes of the total", async () => {
    const put = await onTty(`head -c ${20 * MB} /dev/zero | $SIGMA put name/tmp/big`);
    expect(put.code).toBe(0);
    expect(put.stdout).toMatch(/put name\/tmp\/big 20\.0 MiB \| [\d.]+ (KiB|MiB|GiB)\/s/);
    expect((await fsl.stat("name/tmp/big")).length).toBe(BigInt(20 * MB));

    const cat = await onTty("$SIGMA cat name/tmp/big > /dev/null");
    expect(cat.code).toBe(0);
    expect(cat.stdout).toMatch(
      /cat name\/tmp\/big \[=+\] 100% \| 20\.0 MiB of 20\.0 MiB \| [\d.]+ (KiB|MiB|GiB)\/s/,
    );
  });

  it("no bar for a small file, none when stdout is the terminal, none in a pipe", async () => {
    expect(await onTty("$SIGMA cat name/tmp/small > /dev/null")).toMatchObject({
      code: 0,
      stdout: "",
    });
    // The data itself goes to the terminal: a bar would land in it.
    const toTerminal = await onTty("$SIGMA cat name/tmp/mid");
    expect(toTerminal.code).toBe(0);
    expect(toTerminal.stdout.length).toBeGreaterThanOrEqual(5 * MB);
    expect(toTerminal.stdout).not.toContain("MiB");
    const piped = await shell("$SIGMA cat name/tmp/big 2>&1 >/dev/null | wc -c", env());
    expect(piped).toEqual({ code: 0, stdout: "0\n", stderr: "" });
  });
});
