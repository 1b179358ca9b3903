/**
 * One handler per 9P2000.L request: each maps its message to the fid's node (tree.ts) and builds
 * the reply. Failures are thrown: an ErrnoError or SigmaError becomes Rlerror (errno.ts), a
 * ProtocolError closes the connection. Tversion and Tflush are connection-level (connection.ts).
 */
import { serveAuth } from "./auth.js";
import type { AnyMsg, Msg } from "./codec.js";
import { Errno, ErrnoError } from "./errno.js";
import { type FidEntry, FidTable, ProtocolError } from "./fid-table.js";
import { IOHDRSZ, MAXWELEM, NOFID } from "./messages.js";
import { DirCursor } from "./readdir.js";
import { GETATTR_BASIC, GETATTR_DATA_VERSION, type Node, type OpCtx } from "./tree.js";

/** What a request handler needs from its connection. */
export interface RequestHost {
  readonly fids: FidTable;
  /** The negotiated msize. */
  readonly msize: number;
  /** The root node of `aname` for this user. Errors: ENOENT for an unknown aname. */
  attachRoot(uname: string, nUname: number, aname: string, ctx: OpCtx): Promise<Node>;
}

/** Tlock types and Rlock statuses (protocol.md). */
const LOCK = { UNLCK: 2, SUCCESS: 0 } as const;
/** Rstatfs type: V9FS_MAGIC. */
const V9FS_MAGIC = 0x01021997;

type Reply = AnyMsg;

/** Serves one request (not Tversion or Tflush). */
export async function serveRequest(host: RequestHost, m: AnyMsg, ctx: OpCtx): Promise<Reply> {
  const { fids } = host;
  const tag = m.tag;
  switch (m.type) {
    case "Tauth":
      return { type: "Rauth", tag, aqid: await serveAuth(m) };
    case "Tattach":
      return attach(host, m, ctx);
    case "Twalk":
      return walk(fids, m, ctx);
    case "Tlopen": {
      const entry = fids.get(m.fid);
      if (entry.file !== undefined) throw new ErrnoError(Errno.EBADF, `fid ${m.fid} is open`);
      const file = await entry.node.open(m.flags, ctx);
      adopt(entry, file);
      return { type: "Rlopen", tag, qid: file.qid, iounit: iounit(host) };
    }
    case "Tlcreate": {
      const entry = fids.get(m.fid);
      if (entry.file !== undefined) throw new ErrnoError(Errno.EBADF, `fid ${m.fid} is open`);
      const { node, file } = await entry.node.create(m.name, m.flags, m.mode, ctx);
      entry.node = node;
      adopt(entry, file);
      return { type: "Rlcreate", tag, qid: file.qid, iounit: iounit(host) };
    }
    case "Tread": {
      const { file } = fids.open(m.fid);
      const data = await file.read(m.offset, Math.min(m.count, iounit(host)), ctx);
      return { type: "Rread", tag, data };
    }
    case "Twrite": {
      const { file } = fids.open(m.fid);
      return { type: "Rwrite", tag, count: await file.write(m.offset, m.data, ctx) };
    }
    case "Treaddir": {
      const { entry } = fids.open(m.fid);
      entry.cursor ??= new DirCursor(entry.file!);
      const data = await entry.cursor.read(m.offset, Math.min(m.count, iounit(host)), ctx);
      return { type: "Rreaddir", tag, data };
    }
    case "Tclunk":
      // Linux's v9fs and diod's libnpclient clunk the newfid of a short walk, which 9P never
      // created: an error answer, not a protocol violation (every other request closes).
      if (!fids.has(m.fid)) throw new ErrnoError(Errno.EBADF, `fid ${m.fid} is not in use`);
      await fids.drop(m.fid);
      return { type: "Rclunk", tag };
    case "Tremove": {
      // The fid is released whether or not the remove succeeds (9P remove(5)).
      const { node } = fids.get(m.fid);
      await fids.drop(m.fid);
      await node.remove(ctx);
      return { type: "Rremove", tag };
    }
    case "Tgetattr": {
      const attr = await fids.get(m.fid).node.getattr(ctx);
      return { type: "Rgetattr", tag, valid: GETATTR_BASIC | GETATTR_DATA_VERSION, ...attr };
    }
    case "Tsetattr": {
      const { type: _t, tag: _g, fid, ...attr } = m;
      await fids.get(fid).node.setattr(attr, ctx);
      return { type: "Rsetattr", tag };
    }
    case "Tmkdir":
      return { type: "Rmkdir", tag, qid: await fids.get(m.dfid).node.mkdir(m.name, m.mode, ctx) };
    case "Tsymlink": {
      const qid = await fids.get(m.fid).node.symlink(m.name, m.symtgt, ctx);
      return { type: "Rsymlink", tag, qid };
    }
    case "Treadlink":
      return { type: "Rreadlink", tag, target: await fids.get(m.fid).node.readlink(ctx) };
    case "Tunlinkat":
      await fids.get(m.dirfid).node.unlinkat(m.name, m.flags, ctx);
      return { type: "Runlinkat", tag };
    case "Trenameat": {
      const from = fids.get(m.olddirfid).node;
      await from.renameat(m.oldname, fids.get(m.newdirfid).node, m.newname, ctx);
      return { type: "Rrenameat", tag };
    }
    case "Trename": {
      const entry = fids.get(m.fid);
      entry.node = await entry.node.rename(fids.get(m.dfid).node, m.name, ctx);
      return { type: "Rrename", tag };
    }
    case "Tstatfs":
      fids.get(m.fid);
      return statfs(tag);
    case "Tfsync": {
      // sigmap writes are done at the server when Rwrite comes back: nothing is left to flush.
      const { file } = fids.open(m.fid);
      await file.fsync(ctx);
      return { type: "Rfsync", tag };
    }
    case "Tlock":
      fids.get(m.fid);
      // No POSIX record locks exist here; releasing one that was never granted succeeds, asking
      // for one is "no locks available" (mount with -o localflock for client-local locks).
      if (m.lockType === LOCK.UNLCK) return { type: "Rlock", tag, status: LOCK.SUCCESS };
      throw new ErrnoError(Errno.ENOLCK, "POSIX locks are not supported");
    case "Tgetlock": {
      fids.get(m.fid);
      // Since no lock is ever granted, none can conflict: the answer is "unlocked".
      const { start, length, procId, clientId } = m;
      return { type: "Rgetlock", tag, lockType: LOCK.UNLCK, start, length, procId, clientId };
    }
    case "Tmknod":
    case "Tlink":
    case "Txattrwalk":
    case "Txattrcreate":
      throw new ErrnoError(Errno.EOPNOTSUPP, m.type);
    default:
      throw new ProtocolError(`${m.type} is not a request`);
  }
}

function adopt(entry: FidEntry, file: NonNullable<FidEntry["file"]>): void {
  entry.file = file;
  entry.cursor = undefined;
}

function iounit(host: RequestHost): number {
  return host.msize - IOHDRSZ;
}

async function attach(host: RequestHost, m: Msg<"Tattach">, ctx: OpCtx): Promise<Reply> {
  if (m.afid !== NOFID) throw new ErrnoError(Errno.EBADF, `afid ${m.afid}: no authentication`);
  host.fids.reserve(m.fid);
  try {
    const node = await host.attachRoot(m.uname, m.nUname, m.aname, ctx);
    host.fids.set(m.fid, { node });
    return { type: "Rattach", tag: m.tag, qid: node.qid };
  } catch (e) {
    host.fids.release(m.fid);
    throw e;
  }
}

async function walk(fids: FidTable, m: Msg<"Twalk">, ctx: OpCtx): Promise<Reply> {
  if (m.wnames.length > MAXWELEM) {
    throw new ProtocolError(`Twalk of ${m.wnames.length} names (at most ${MAXWELEM})`);
  }
  const from = fids.get(m.fid);
  fids.reserve(m.newfid, m.fid);
  let node = from.node;
  const wqids = [];
  try {
    for (const name of m.wnames) {
      try {
        node = await node.walk(name, ctx);
      } catch (e) {
        // The first element failing is an error; a later one ends the walk short, newfid unset.
        if (wqids.length === 0) throw e;
        fids.release(m.newfid);
        return { type: "Rwalk", tag: m.tag, wqids };
      }
      wqids.push(node.qid);
    }
  } catch (e) {
    fids.release(m.newfid);
    throw e;
  }
  fids.set(m.newfid, { node });
  return { type: "Rwalk", tag: m.tag, wqids };
}

function statfs(tag: number): Reply {
  // sigmap has no notion of blocks or inodes: zeros say "unknown", as for other virtual file
  // systems; namelen is what Linux allows in one element.
  return {
    type: "Rstatfs",
    tag,
    fsType: V9FS_MAGIC,
    bsize: 4096,
    blocks: 0n,
    bfree: 0n,
    bavail: 0n,
    files: 0n,
    ffree: 0n,
    fsid: 0n,
    namelen: 255,
  };
}
