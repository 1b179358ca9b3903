/**
 * The hop diodload cannot show (it only touches `ctl`): the project's 9P client getattrs and
 * reads a file of one Rread's worth (64 KiB less the header) in named through the gateway, and the same file in the directory diod
 * exports, one request at a time.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { Mode } from "../../../generated/sigmap/types.js";
import { FsLib } from "../../../runtime/client/index.js";
import { NinepClient } from "../../../servers/9p/client.js";
import type { SuiteContext } from "../../lib/suite.js";

/** msize 65536 on both sides; one Rread then carries at most msize - 24 bytes (IOHDRSZ). */
const MSIZE = 65536;
const FILE_SIZE = MSIZE - 24;

interface Opened {
  c: NinepClient;
  fid: number;
}

async function open(addr: string, aname: string): Promise<Opened> {
  const c = await NinepClient.connect(addr);
  await c.version(MSIZE);
  if (c.msize !== MSIZE) throw new Error(`${addr} negotiated msize ${c.msize}`);
  // As root (uid 0): diod without authentication still maps the attaching user.
  await c.attach(1, aname, "root", 0);
  await c.walk(1, 2, ["f"]);
  await c.lopen(2, 0);
  return { c, fid: 2 };
}

export async function clientCases(
  ctx: SuiteContext,
  gatewayAddr: string,
  namedAddr: string,
  diodAddr: string,
  diodDir: string,
): Promise<void> {
  const data = new Uint8Array(FILE_SIZE).fill(7);
  const fsl = await FsLib.connect({ named: namedAddr });
  ctx.defer(() => fsl.close());
  await fsl.mkDir("name/tmp/bench9p").catch(() => undefined);
  await fsl.putFile("name/tmp/bench9p/f", 0o777, Mode.OWRITE, data);
  writeFileSync(join(diodDir, "f"), data);

  const gw = await open(gatewayAddr, "name/tmp/bench9p");
  ctx.defer(() => gw.c.close());
  const diod = await open(diodAddr, diodDir);
  ctx.defer(() => diod.c.close());
  for (const side of [gw, diod]) {
    if ((await side.c.read(side.fid, 0n, FILE_SIZE)).length !== FILE_SIZE) {
      throw new Error("9p client cases: short read of the file");
    }
  }

  await ctx.compare({
    name: "9p-named-getattr",
    unit: "us",
    note: "Tgetattr of a file in named through the gateway (FsLib stat: 3 sigmap round trips) vs diod's stat(2) of a file in its export; 1 in flight, the project's 9P client",
    run: () => gw.c.getattr(gw.fid),
    baseline: { name: "diod-dir-getattr", run: () => diod.c.getattr(diod.fid) },
  });
  await ctx.compare({
    name: "9p-named-read",
    unit: "MB/s",
    note: "Tread of a 65,512-byte file (one msize-65536 Rread) in named through the gateway (FsLib pread: one TreadV) vs diod's pread(2); 1 in flight",
    run: () => gw.c.read(gw.fid, 0n, FILE_SIZE),
    bytesPerOp: FILE_SIZE,
    baseline: {
      name: "diod-dir-read",
      run: () => diod.c.read(diod.fid, 0n, FILE_SIZE),
      bytesPerOp: FILE_SIZE,
    },
  });
}
