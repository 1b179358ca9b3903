/**
 * The proc file protocol in named (spec 9), the steps each side takes. procd performs a proc's
 * `started` and `exited` on its behalf when the proc reports them over its channel (or when it
 * dies without reporting), and a proc without procd performs them itself: either way named ends
 * up holding the same files.
 */
import { Mode, Perm } from "../../generated/sigmap/types.js";
import { type CallOpts, type FsLib, isErrNotfound } from "../client/index.js";
import { SemClnt } from "../coord/index.js";
import { ProcFile } from "./proc-paths.js";
import type { Status } from "../proc-channel/status.js";

const encoder = new TextEncoder();

/**
 * The parent's side of spawn, before asking procd: `children/<cpid>/` with `procfile-link` (the
 * queue file procd will make) and `start-sem`, down.
 */
export async function makeChildEntry(
  fsl: FsLib,
  entry: string,
  queuePath: string,
  opts?: CallOpts,
): Promise<void> {
  await fsl.mkDir(entry, 0o777, opts);
  await Promise.all([
    fsl.putFile(`${entry}/${ProcFile.procfileLink}`, 0o777, 0, encoder.encode(queuePath), opts),
    new SemClnt(fsl, `${entry}/${ProcFile.startSem}`).init(0, opts),
  ]);
}

/**
 * A procdir: `exit-sem` and `evict-sem` (down) and `children/`. procd makes the semaphores
 * ephemeral (`ephemeral`), so that if procd dies its session takes them with it and every waiter
 * wakes instead of hanging.
 */
export async function makeProcDir(
  fsl: FsLib,
  procDir: string,
  ephemeral: boolean,
  opts?: CallOpts,
): Promise<void> {
  await fsl.mkDir(procDir, 0o777, opts);
  const perm = ephemeral ? Perm.DMTMP : 0;
  await Promise.all([
    fsl.mkDir(`${procDir}/${ProcFile.children}`, 0o777, opts),
    new SemClnt(fsl, `${procDir}/${ProcFile.exitSem}`).init(perm, opts),
    new SemClnt(fsl, `${procDir}/${ProcFile.evictSem}`).init(perm, opts),
  ]);
}

/**
 * `started`: links `<parent entry>/procdir` to the procdir and raises `start-sem`. A parent that
 * has gone (its entry removed with its procdir) is tolerated.
 */
export async function markStarted(
  fsl: FsLib,
  procDir: string,
  parentEntry: string,
  opts?: CallOpts,
): Promise<void> {
  if (parentEntry === "") return;
  // One Tputfile makes the symlink with its target (symlink() would be create, write, clunk).
  const link = `${parentEntry}/${ProcFile.procDirLink}`;
  const perm = (Perm.DMSYMLINK | 0o777) >>> 0;
  await tolerateGone(fsl.putFile(link, perm, Mode.OWRITE, encoder.encode(procDir), opts));
  await tolerateGone(new SemClnt(fsl, `${parentEntry}/${ProcFile.startSem}`).up(opts));
}

/**
 * `exited`: the status into `<parent entry>/exit-status`, `exit-sem` up, `children/` renamed
 * away (so no new child entry lands in a directory being removed) and the procdir removed. A
 * parent that has gone is tolerated; the procdir is removed regardless.
 */
export async function markExited(
  fsl: FsLib,
  procDir: string,
  parentEntry: string,
  status: Status,
  opts?: CallOpts,
): Promise<void> {
  if (parentEntry !== "") {
    const path = `${parentEntry}/${ProcFile.exitStatus}`;
    await tolerateGone(fsl.putFile(path, 0o777, 0, encoder.encode(JSON.stringify(status)), opts));
  }
  await tolerateGone(new SemClnt(fsl, `${procDir}/${ProcFile.exitSem}`).up(opts));
  await tolerateGone(
    fsl.rename(`${procDir}/${ProcFile.children}`, `${procDir}/${ProcFile.tmpChildren}`, opts),
  );
  await tolerateGone(fsl.rmDir(procDir, opts));
}

/** Resolves to false when `p` failed with Notfound (the thing is gone), true when it succeeded. */
export async function tolerateGone(p: Promise<unknown>): Promise<boolean> {
  try {
    await p;
    return true;
  } catch (e) {
    if (isErrNotfound(e)) return false;
    throw e;
  }
}
