/**
 * Directory operations of FsLib (spec 6.5): listings, watches on listings, and recursive copy,
 * move and remove, built on the public file API.
 */
import { ErrCode, Mode, Perm, QType, type Stat } from "../../../generated/sigmap/types.js";
import { SigmaError } from "../../errors/index.js";
import type { CallOpts } from "../call-limits.js";
import { decodeDirEntries } from "../path/dir-entries.js";
import { isErrNotfound } from "../errors.js";
import type { DirListing, FsLibCore } from "./core.js";
import { joinPath, splitPath } from "../split-path.js";

/** Creates the directory `path` (perm | DMDIR). Errors: Exists, Notfound (parent), …. */
export async function mkDir(
  fsl: FsLibCore,
  path: string,
  perm = 0o777,
  opts?: CallOpts,
): Promise<void> {
  const fd = await fsl.create(path, perm | Perm.DMDIR, Mode.OREAD, opts);
  await fsl.close(fd, opts);
}

/** Whether `path` is a directory. Errors: stat's. */
export async function isDir(fsl: FsLibCore, path: string, opts?: CallOpts): Promise<boolean> {
  const st = await fsl.stat(path, opts);
  return (st.mode & Perm.DMDIR) !== 0 || (st.qid.type & QType.QTDIR) !== 0;
}

/** Every entry of `dir`. */
export async function getDir(fsl: FsLibCore, dir: string, opts?: CallOpts): Promise<Stat[]> {
  const { entries, fd } = await readDir(fsl, dir, opts);
  await fsl.close(fd, opts);
  return entries;
}

/** Every entry of `dir` and the open directory fd. */
export async function readDir(fsl: FsLibCore, dir: string, opts?: CallOpts): Promise<DirListing> {
  const fd = await openDir(fsl, dir, opts);
  try {
    const entries: Stat[] = [];
    for (;;) {
      const batch = await readBatch(fsl, fd, opts);
      if (batch.length === 0) return { entries, fd };
      entries.push(...batch);
    }
  } catch (e) {
    await fsl.close(fd).catch(() => undefined);
    throw e;
  }
}

/** Streams the entries of `dir`, one read at a time. */
export async function* dirEntries(
  fsl: FsLibCore,
  dir: string,
  opts?: CallOpts,
): AsyncGenerator<Stat, void, undefined> {
  const fd = await openDir(fsl, dir, opts);
  try {
    for (;;) {
      const batch = await readBatch(fsl, fd, opts);
      if (batch.length === 0) return;
      yield* batch;
    }
  } finally {
    await fsl.close(fd).catch(() => undefined);
  }
}

/** Opens `dir` for reading its entries; anything but a directory is NotDir (its bytes are no listing). */
async function openDir(fsl: FsLibCore, dir: string, opts?: CallOpts): Promise<number> {
  const fd = await fsl.open(dir, Mode.OREAD, opts);
  if ((fsl.qid(fd).type & QType.QTDIR) === 0) {
    await fsl.close(fd).catch(() => undefined);
    throw new SigmaError(ErrCode.NotDir, dir);
  }
  return fd;
}

/** Lists `dir` until `wait(entries)` is false, waiting for a change between listings. */
export async function readDirWatch(
  fsl: FsLibCore,
  dir: string,
  wait: (entries: Stat[]) => boolean,
  opts?: CallOpts,
): Promise<Stat[]> {
  for (;;) {
    const { entries, fd } = await readDir(fsl, dir, opts);
    try {
      if (!wait(entries)) return entries;
      const w = await fsl.setDirWatch(fd, opts);
      await w.fired;
    } finally {
      await fsl.close(fd).catch(() => undefined);
    }
  }
}

/** Removes `path`, recursively if it is a directory. */
export async function rmDir(fsl: FsLibCore, path: string, opts?: CallOpts): Promise<void> {
  await rmDirEntries(fsl, path, opts);
  await fsl.remove(path, opts);
}

/** Removes everything inside `dir`. Entries that vanish meanwhile are not an error. */
export async function rmDirEntries(fsl: FsLibCore, dir: string, opts?: CallOpts): Promise<void> {
  for (const st of await getDir(fsl, dir, opts)) {
    const child = childPath(dir, st.name);
    try {
      if (isDirStat(st)) await rmDir(fsl, child, opts);
      else await fsl.remove(child, opts);
    } catch (e) {
      if (!isErrNotfound(e)) throw e;
    }
  }
}

/** Copies `src`'s contents into the existing directory `dst`, recursively. */
export async function copyDir(
  fsl: FsLibCore,
  src: string,
  dst: string,
  opts?: CallOpts,
): Promise<void> {
  for (const st of await getDir(fsl, src, opts)) {
    const from = childPath(src, st.name);
    const to = childPath(dst, st.name);
    if (isDirStat(st)) {
      await mkDir(fsl, to, st.mode & 0o777, opts);
      await copyDir(fsl, from, to, opts);
    } else {
      await copyFile(fsl, from, to, opts);
    }
  }
}

/** Renames every entry of `src` to the same name in `dst`; returns how many moved. */
export async function moveFiles(
  fsl: FsLibCore,
  src: string,
  dst: string,
  opts?: CallOpts,
): Promise<number> {
  let n = 0;
  for (const st of await getDir(fsl, src, opts)) {
    await fsl.rename(childPath(src, st.name), childPath(dst, st.name), opts);
    n++;
  }
  return n;
}

/** One line per entry: name, kind, version, length. */
export async function formatDir(fsl: FsLibCore, dir: string, opts?: CallOpts): Promise<string> {
  const lines = (await getDir(fsl, dir, opts)).map(
    (st) => `${st.name} ${kindOf(st)} v${st.qid.version} ${st.length}`,
  );
  return lines.join("\n") + (lines.length > 0 ? "\n" : "");
}

/** Copies the file `src` to `dst`, created with the source's permission bits. */
export async function copyFile(
  fsl: FsLibCore,
  src: string,
  dst: string,
  opts?: CallOpts,
): Promise<void> {
  const st = await fsl.stat(src, opts);
  const from = await fsl.open(src, Mode.OREAD, opts);
  try {
    const to = await fsl.create(dst, (st.mode & ~Perm.DMDIR) >>> 0, Mode.OWRITE, opts);
    try {
      const chunk = fsl.getChunkSize();
      for (;;) {
        const data = await fsl.read(from, chunk, opts);
        if (data.length === 0) break;
        await fsl.write(to, data, opts);
      }
    } finally {
      await fsl.close(to, opts);
    }
  } finally {
    await fsl.close(from).catch(() => undefined);
  }
}

/** Whether every name is among the entries. */
export function present(stats: readonly Stat[], names: readonly string[]): boolean {
  const have = new Set(stats.map((s) => s.name));
  return names.every((n) => have.has(n));
}

/** Whether an entry is a directory. */
export function isDirStat(st: Stat): boolean {
  return (st.qid.type & QType.QTDIR) !== 0;
}

async function readBatch(fsl: FsLibCore, fd: number, opts?: CallOpts): Promise<Stat[]> {
  const data = await fsl.readOnce(fd, fsl.getChunkSize(), opts);
  return decodeDirEntries(data);
}

function childPath(dir: string, name: string): string {
  return joinPath([...splitPath(dir), name]);
}

function kindOf(st: Stat): string {
  if ((st.qid.type & QType.QTDIR) !== 0) return "d";
  if ((st.qid.type & QType.QTSYMLINK) !== 0) return "l";
  return "-";
}
