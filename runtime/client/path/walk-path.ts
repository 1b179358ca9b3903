/**
 * Path resolution, exactly as spec 6.4: find the mount, walk the remainder on its server, and
 * where the server stops (a symlink, a union element) resolve that element here and start over.
 * At most MAXSYMLINK rounds, then Unreachable.
 */
import { ErrCode, MAXSYMLINK, QType, type Tqid } from "../../../generated/sigmap/types.js";
import { isErr, SigmaError } from "../../errors/index.js";
import { logger } from "../../log.js";
import type { Limits } from "../call-limits.js";
import { dialOrder } from "./dial-order.js";
import { isErrNotfound, isErrSessClosed, isErrUnreachable } from "../errors.js";
import type { MountEntry } from "./mount-table.js";
import { decodeSymlink } from "./mount-record.js";
import type { MountPoint, Resolver } from "./resolver.js";
import { sessionKey } from "../fid/session-pool.js";
import { isUnionElem, joinPath, splitPath } from "../split-path.js";

const log = logger("fslib");

type Step = { kind: "done"; fid: number } | { kind: "restart"; path: string[] };

/** Resolves `path` to a new fid; see PathClient.walk (path-client.ts) for the errors. */
export async function walkPath(
  pc: Resolver,
  path: readonly string[],
  resolveLast: boolean,
  lim: Limits,
): Promise<number> {
  let p = [...path];
  for (let round = 0; round < MAXSYMLINK; round++) {
    const { mount, rest } = pc.resolve(p, resolveLast);
    let step: Step;
    try {
      step = await walkFromMount(pc, p, mount, rest, resolveLast, lim);
    } catch (e) {
      // A server that went away may have re-registered elsewhere: drop its mount so the next
      // round re-reads the symlink. Mounts the application made are not ours to drop.
      if (
        e instanceof MountDown &&
        mount.value.auto &&
        (isErrUnreachable(e.cause) || (await recordChanged(pc, mount.value, lim))) &&
        pc.mounts.removeIf(mount.path, mount.value)
      ) {
        log("unmount %s: %O", joinPath(mount.path), e.cause);
        void pc.fids.clunk(mount.value.fid).catch(() => undefined);
        continue;
      }
      throw e instanceof MountDown ? e.cause : e;
    }
    if (step.kind === "done") return step.fid;
    p = step.path;
  }
  throw new SigmaError(
    ErrCode.Unreachable,
    joinPath(path),
    `server unreachable: ${joinPath(path)}: too many symlinks`,
  );
}

// The mount's own server answered Unreachable, or the mount's session has closed, as opposed to
// a server further along the path.
class MountDown extends Error {
  override readonly cause: SigmaError;
  constructor(cause: SigmaError) {
    super(cause.message);
    this.cause = cause;
  }
}

async function walkFromMount(
  pc: Resolver,
  p: readonly string[],
  mount: MountEntry<MountPoint>,
  rest: readonly string[],
  resolveLast: boolean,
  lim: Limits,
): Promise<Step> {
  // One Twalk both clones the mount's fid and walks the remainder; the mount's fid is untouched.
  let walked: { fid: number; qids: Tqid[] };
  try {
    walked = await pc.fids.walk(pc.fidOf(mount), rest, lim);
  } catch (e) {
    if (isErrUnreachable(e)) throw new MountDown(e);
    if (isErrSessClosed(e) && mount.value.entry.closedEvent !== undefined && !pc.fids.pool.exited) {
      throw new MountDown(e);
    }
    throw e;
  }
  const { fid, qids } = walked;
  const n = qids.length;
  const remaining = rest.slice(n);
  const reached = p.slice(0, mount.path.length + n);
  const last = n > 0 ? qids[n - 1] : mount.value.qid;
  let done = false;
  try {
    if (n > 0 && last !== undefined && (last.type & QType.QTSYMLINK) !== 0) {
      if (remaining.length > 0 || resolveLast) {
        const target = decodeSymlink(await pc.readSymlink(fid, lim));
        if (target.kind === "mount") {
          await mountOnce(pc, reached, target.mount, lim);
          return { kind: "restart", path: [...p] };
        }
        return { kind: "restart", path: [...splitPath(target.target), ...remaining] };
      }
    }
    const next = remaining[0];
    if (next !== undefined && isUnionElem(next)) {
      const chosen = await pc.pickUnion(fid, next, lim);
      await mountOnce(pc, [...reached, next], chosen.mount, lim, [...reached, chosen.name]);
      return { kind: "restart", path: [...p] };
    }
    if (remaining.length > 0) throw new SigmaError(ErrCode.Notfound, joinPath(remaining));
    done = true;
    return { kind: "done", fid };
  } finally {
    if (!done) await pc.fids.clunk(fid).catch(() => undefined);
  }
}

// An existing mount at the path is fine: a concurrent walk resolved the same record.
async function mountOnce(
  pc: Resolver,
  path: readonly string[],
  mount: Parameters<Resolver["attachMount"]>[1],
  lim: Limits,
  source: readonly string[] = path,
): Promise<void> {
  if (pc.mounts.exact(path) !== undefined) return;
  await pc.attachMount(path, mount, true, lim, source);
}

/**
 * Whether the record an auto mount on a closed session came from has changed: its symlink is gone,
 * is no mount record any more, or names other addresses (the server re-registered elsewhere). A
 * closed session is never replaced silently (spec 3.9): while the record still names the same
 * server the mount stays, the call fails with SessClosed, and reopenSession(path) finds it.
 */
async function recordChanged(pc: Resolver, m: MountPoint, lim: Limits): Promise<boolean> {
  let fid: number;
  try {
    fid = await walkPath(pc, m.source, false, lim);
  } catch (e) {
    return isErrNotfound(e);
  }
  try {
    const target = decodeSymlink(await pc.readSymlink(fid, lim));
    if (target.kind !== "mount") return true;
    return sessionKey(dialOrder(target.mount.addr, pc.config.net)) !== sessionKey(m.addrs);
  } catch (e) {
    // Now a file or a directory, or no valid record: not the server this mount reached.
    return isErr(e, ErrCode.NotSymlink) || isErr(e, ErrCode.Inval);
  } finally {
    await pc.fids.clunk(fid).catch(() => undefined);
  }
}
