/**
 * The operations timed against named, through FsLib as an application calls it. Files are
 * spread over a set of names so that the 64-in-flight cases never pile onto one file's lock;
 * create+remove uses a fresh name every time, so that two calls in flight never collide.
 */
import { Mode } from "../../../generated/sigmap/types.js";
import type { FsLib } from "../../../runtime/client/fslib/fslib.js";

/** The size of every file the suite reads and writes. */
export const FILE_BYTES = 100;
/** Where the timed files live: `tmp` is part of named's boot layout. */
export const BENCH_DIR = ["tmp", "bench"] as const;
/** More names than calls in flight (64), so that no name is in two calls at once. */
const FILES = 128;
const PERM = 0o644;

export class NamedOps {
  private readonly paths: string[];
  private readonly data = Buffer.alloc(FILE_BYTES, 0x5a);
  private readonly createDir: string;
  private nextFile = 0;
  private nextCreate = 0;

  private constructor(private readonly fsl: FsLib) {
    const dir = ["name", ...BENCH_DIR].join("/");
    this.paths = Array.from({ length: FILES }, (_, i) => `${dir}/f${i}`);
    this.createDir = `${dir}/created`;
  }

  /** Creates the files and checks one round trip of each operation. */
  static async setUp(fsl: FsLib): Promise<NamedOps> {
    const ops = new NamedOps(fsl);
    await fsl.mkDir(`name/${BENCH_DIR.join("/")}`, 0o755);
    await fsl.mkDir(ops.createDir, 0o755);
    for (const path of ops.paths) await fsl.putFile(path, PERM, Mode.OWRITE, ops.data);
    const got = await fsl.getFile(ops.paths[0] ?? "");
    if (!Buffer.from(got).equals(ops.data)) {
      throw new Error(`getFile returned ${got.length} bytes, not the ${FILE_BYTES} put`);
    }
    const st = await fsl.stat(ops.paths[0] ?? "");
    if (Number(st.length) !== FILE_BYTES) throw new Error(`stat says ${st.length} bytes`);
    await ops.createRemove();
    return ops;
  }

  readonly getFile = (): Promise<Uint8Array> => this.fsl.getFile(this.file());

  readonly putFile = (): Promise<number> =>
    this.fsl.putFile(this.file(), PERM, Mode.OWRITE, this.data);

  readonly stat = (): Promise<unknown> => this.fsl.stat(this.file());

  /** A walk to the parent, Tcreate, Tclunk (close), Tremovefile. */
  readonly createRemove = async (): Promise<void> => {
    const path = `${this.createDir}/c${this.nextCreate++}`;
    const fd = await this.fsl.create(path, PERM, Mode.OWRITE);
    await this.fsl.close(fd);
    await this.fsl.remove(path);
  };

  /** The path the first getFile reads, below the mount (for sizing the TCP baseline). */
  static firstFileWnames(): string[] {
    return [...BENCH_DIR, "f0"];
  }

  private file(): string {
    const i = this.nextFile;
    this.nextFile = i + 1 === FILES ? 0 : i + 1;
    return this.paths[i] ?? "";
  }
}
