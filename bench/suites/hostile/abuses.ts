/**
 * The abuses of issue 10 that a client can make through the protocol, each with the setup it
 * needs (not measured) and the requests whose stall of named is measured.
 */
import { Mode, Perm } from "../../../generated/sigmap/types.js";
import type { FsLib } from "../../../runtime/client/fslib/fslib.js";

export interface Abuse {
  name: string;
  note: string;
  setUp?(fsl: FsLib, connect: () => Promise<FsLib>): Promise<void>;
  run(fsl: FsLib, connect: () => Promise<FsLib>): Promise<void>;
}

export interface Sizes {
  ephemeral: number;
  fences: number;
  /** Depth of the walked chain under name/tmp; with "tmp", the walk cap (maxWalkNames) in full runs. */
  depth: number;
}

const IN_FLIGHT = 64;

export function abuses(sizes: Sizes): Abuse[] {
  const deep = Array.from({ length: sizes.depth }, () => "d");
  let mass: FsLib | undefined;
  return [
    {
      name: `walk-${sizes.depth}-deep`,
      note: `20 stats through ${sizes.depth} nested directories (full runs: the walk cap), then one walk past the cap (refused)`,
      async setUp(fsl) {
        for (let i = 1; i <= deep.length; i++) {
          await fsl.mkDir(`name/tmp/${deep.slice(0, i).join("/")}`, 0o777);
        }
      },
      async run(fsl) {
        const path = `name/tmp/${deep.join("/")}`;
        for (let i = 0; i < 20; i++) await fsl.stat(path);
        await fsl.stat(`name/tmp/${[...deep, ...deep].join("/")}/x`).catch(() => undefined);
      },
    },
    {
      name: `fences-list-${sizes.fences}`,
      note: `listing .fences holding ${sizes.fences} fences (full runs: maxFences), reads of 16 MiB`,
      async run(fsl) {
        const fd = await fsl.open("name/.fences", Mode.OREAD);
        while ((await fsl.read(fd, 16 * 2 ** 20)).length > 0);
        await fsl.close(fd);
      },
    },
    {
      name: `stat-dir-${sizes.ephemeral}`,
      note: `20 stats of a directory of ${sizes.ephemeral} files (its length is the sum of its entries' Stat sizes)`,
      async setUp(_fsl, connect) {
        mass = await connect();
        await mass.mkDir("name/tmp/eph", 0o777);
        const m = mass;
        let next = 0;
        const worker = async (): Promise<void> => {
          while (next < sizes.ephemeral) {
            const i = next++;
            await m.putFile(`name/tmp/eph/f${i}`, 0o644 | Perm.DMTMP, Mode.OWRITE, ONE);
          }
        };
        await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
      },
      async run(fsl) {
        for (let i = 0; i < 20; i++) await fsl.stat("name/tmp/eph");
      },
    },
    {
      name: `ephemeral-cleanup-${sizes.ephemeral}`,
      note: `the session holding ${sizes.ephemeral} ephemeral files detaches; until all are removed`,
      async run(fsl) {
        await mass?.exit();
        while ((await fsl.stat("name/tmp/eph")).length !== 0n) {
          await new Promise((r) => setTimeout(r, 5));
        }
      },
    },
    {
      name: "sparse-put-1GiB",
      note: "a 1-byte Tputfile at offset 1023 MiB, then a read of 16 MiB from its hole",
      async run(fsl) {
        await fsl.setFile("name/tmp/sparse", ONE, Mode.OWRITE, 1023 * 2 ** 20);
        const fd = await fsl.open("name/tmp/sparse", Mode.OREAD);
        await fsl.read(fd, 16 * 2 ** 20);
        await fsl.close(fd);
      },
    },
  ];
}

const ONE = new Uint8Array([1]);
