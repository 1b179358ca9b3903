/**
 * `sigma 9p`: the command runs the gateway against named, serves diod's tools, reports
 * protocol violations on stderr and stops cleanly on SIGTERM.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PassThrough, Readable } from "node:stream";
import { Mode } from "../../generated/sigmap/types.js";
import { runSigma } from "../../bin/run-sigma.js";
import { FsLib } from "../../runtime/client/index.js";
import { NinepClient } from "../../servers/9p/client.js";
import { startNamed, type Named } from "../../servers/named/index.js";
import { bytes, runTool } from "./fixture.js";
import { spawnGateway } from "./gateway-process.js";

let named: Named;
beforeAll(async () => {
  named = await startNamed({ port: 0 });
});
afterAll(() => named?.close());

async function sigma(args: string[]): Promise<{ code: number; err: string }> {
  const stderr = new PassThrough();
  let err = "";
  stderr.on("data", (c: Buffer) => (err += c.toString()));
  const code = await runSigma(args, {
    stdin: Readable.from([]),
    stdout: new PassThrough(),
    stderr,
  });
  return { code, err };
}

describe("sigma 9p", () => {
  it("serves named to diodcat, reports a violation, and stops on SIGTERM", async () => {
    const fsl = await FsLib.connect({ named: named.addr });
    await fsl.putFile("name/tmp/cli", 0o777, Mode.OWRITE, bytes("from the command\n"));
    await fsl.close();
    const gw = await spawnGateway(named.addr);
    const cat = await runTool("diodcat", ["-s", gw.addr, "-a", "name", "tmp/cli"]);
    expect(cat).toEqual({ code: 0, stdout: "from the command\n", stderr: "" });
    const c = await NinepClient.connect(gw.addr);
    c.writeRaw(Buffer.from([3, 0, 0, 0]));
    await c.ended;
    const stopped = await gw.stop();
    expect(stopped.code).toBe(0);
    expect(stopped.stdout).toMatch(/9p gateway stopped \(SIGTERM\)\n$/);
    expect(stopped.stderr).toMatch(
      /^9p: 127\.0\.0\.1:\d+: closed: malformed 9P frame: size 3 is below the 7-byte header\n$/,
    );
  });

  it("refuses bad flags with a usage error", async () => {
    expect(await sigma(["9p", "--listen", "nohost", "--named", named.addr])).toEqual({
      code: 64,
      err: "sigma: --listen nohost: expected HOST:PORT\n",
    });
    expect(await sigma(["9p", "--named", named.addr, "--msize", "12"])).toEqual({
      code: 64,
      err: "sigma: --msize 12: expected an integer of at least 4096\n",
    });
  });
});
