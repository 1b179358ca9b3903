/**
 * What the panels show: registered servers (with their RPC numbers and sessions), elections with
 * their epochs, each server's `.fences` matched to the elections they fence, ephemeral objects,
 * procds and their procs, and the store. Built from one bounded scan of named and the files each
 * server offers; every part that fails says so in `errors` instead of failing the whole.
 */
import { ProcdClient } from "../../generated/services/procd/rpc-client.js";
import { QType } from "../../generated/sigmap/types.js";
import { type FsLib, isErrNotfound } from "../../runtime/client/index.js";
import { errorText } from "../../runtime/errors/index.js";
import { listProcds, procdRpcPath, kernelDir } from "../../runtime/proc/index.js";
import { RpcClient, type RpcStatsFile } from "../../runtime/rpc/index.js";
import type {
  ClusterJson,
  FenceInfo,
  LeaderInfo,
  ProcdJson,
  ServerInfo,
  StoreInfo,
} from "./api-types.js";
import { EPOCH_SUFFIX, FENCES_DIR, scanNamed, type ScanLimits } from "./census-scan.js";
import { dropDeadMount } from "./live-mount.js";
import { symlinkJson } from "./object-details.js";

export interface CensusOptions extends ScanLimits {
  store(): Promise<StoreInfo>;
}

/** What a leader wrote into its file, cut to this many bytes for the panel. */
const LEADER_DATA_BYTES = 200;
/** An RPC server's per-session directory: `<session hex>-rpc`. */
const SESSION_DIR = /^([0-9a-f]+)-rpc$/;

export async function takeCensus(fsl: FsLib, o: CensusOptions): Promise<ClusterJson> {
  const started = Date.now();
  const opts = { timeoutMs: o.timeoutMs };
  const scan = await scanNamed(fsl, o);
  const errors = [...scan.errors];
  const note = (what: string, e: unknown) => errors.push(`${what}: ${errorText(e)}`);

  const named: ServerInfo = { path: "name", kind: "named", addrs: fsl.namedAddr(), root: "" };
  const registered = await Promise.all(
    scan.symlinks.map((path) => serverAt(fsl, path, opts).catch((e: unknown) => note(path, e))),
  );
  const servers = [named, ...registered.filter((s): s is ServerInfo => s != null)];

  const leaders = await Promise.all(
    scan.epochFiles.map(({ path, st }) => leaderOf(fsl, path, st.qid.path.toString(16), opts)),
  );
  const byFence = new Map(leaders.map((l) => [l.fenceId, l.path]));
  const fences = (
    await Promise.all(
      servers.map((s) =>
        fencesOf(fsl, s, byFence, opts).catch((e: unknown) => {
          note(`${s.path}/${FENCES_DIR}`, e);
          return [];
        }),
      ),
    )
  ).flat();

  const procds = await procdsOf(fsl, opts).catch((e: unknown) => {
    note("procds", e);
    return [];
  });
  return {
    at: Date.now(),
    scan: {
      dirs: scan.dirs,
      entries: scan.entries,
      truncated: scan.truncated,
      ms: Date.now() - started,
    },
    servers,
    leaders,
    fences,
    ephemeral: scan.ephemeral,
    procds,
    store: await o.store(),
    errors,
  };
}

/** The server registered at `path`, or null if the symlink is a path symlink. */
async function serverAt(
  fsl: FsLib,
  path: string,
  opts: { timeoutMs: number },
): Promise<ServerInfo | null> {
  const link = symlinkJson(await fsl.getFile(path, opts));
  if (link.kind !== "mount") return null;
  const info: ServerInfo = {
    path,
    kind: kindOfRegistration(path),
    addrs: link.addrs.map((a) => a.addr),
    root: link.root,
  };
  try {
    const stats = await fsl.getFileJson<RpcStatsFile>(`${path}/stats`, opts);
    if (info.kind === "server") info.kind = "rpc";
    info.rpc = { methods: stats.RpcStat ?? {} };
    const root = await fsl.getDir(`${path}/`, opts);
    info.sessions = root.flatMap((st) => SESSION_DIR.exec(st.name)?.[1] ?? []);
  } catch (e) {
    await dropDeadMount(fsl, `${path}/`, e);
    if (!isErrNotfound(e)) info.error = errorText(e);
  }
  return info;
}

function kindOfRegistration(path: string): ServerInfo["kind"] {
  if (/^name\/schedd\/[^/]+\/rpc$/.test(path)) return "procd";
  if (path.startsWith("name/memfsd/")) return "memfsd";
  return "server";
}

async function leaderOf(
  fsl: FsLib,
  epochFile: string,
  fenceId: string,
  opts: { timeoutMs: number },
): Promise<LeaderInfo> {
  const path = epochFile.slice(0, -EPOCH_SUFFIX.length);
  const info: LeaderInfo = { path, held: false, epochFile, epoch: null, fenceId };
  try {
    const text = new TextDecoder().decode(await fsl.getFile(epochFile, opts)).trim();
    info.epoch = text === "" ? "0" : BigInt(`0x${text}`).toString();
  } catch {
    // An unreadable or malformed epoch shows as unknown.
  }
  try {
    const st = await fsl.stat(path, opts);
    info.held = true;
    info.owner = st.uid;
    info.ephemeral = (st.qid.type & QType.QTTMP) !== 0;
    const data = await fsl.getFile(path, opts);
    info.data = new TextDecoder().decode(data.subarray(0, LEADER_DATA_BYTES));
  } catch {
    // No leader file: nobody leads now.
  }
  return info;
}

async function fencesOf(
  fsl: FsLib,
  server: ServerInfo,
  byFence: Map<string, string>,
  opts: { timeoutMs: number },
): Promise<FenceInfo[]> {
  const dir = server.path === "name" ? `name/${FENCES_DIR}` : `${server.path}/${FENCES_DIR}`;
  try {
    return (await fsl.getDir(dir, opts)).map((st) => {
      const f: FenceInfo = {
        server: server.path,
        fenceId: st.name,
        version: st.qid.version,
        mtime: st.mtime,
      };
      const leader = byFence.get(st.name);
      if (leader !== undefined) f.leader = leader;
      return f;
    });
  } catch (e) {
    await dropDeadMount(fsl, dir, e);
    throw e;
  }
}

async function procdsOf(fsl: FsLib, opts: { timeoutMs: number }): Promise<ProcdJson[]> {
  return Promise.all(
    (await listProcds(fsl, opts)).map(async ({ kernel, addr }) => {
      const p: ProcdJson = { kernel, addr, warmIdle: 0, procs: [], queued: [], running: [] };
      const names = async (sub: string) =>
        (await fsl.getDir(`${kernelDir(kernel)}/${sub}`, opts).catch(() => [])).map(
          (st) => st.name,
        );
      [p.queued, p.running] = await Promise.all([names("queue"), names("running")]);
      let rpc: RpcClient | undefined;
      try {
        rpc = await RpcClient.connect(fsl, procdRpcPath(kernel), opts);
        const ps = await new ProcdClient(rpc).ps({}, opts);
        p.warmIdle = ps.warmIdle;
        p.procs = ps.procs.map((x) => ({
          pid: x.pid,
          program: x.program,
          args: [...x.args],
          osPid: x.osPid,
          warm: x.warm,
          state: x.state,
          spawnedAt: Number(x.spawnedAt),
          parentDir: x.parentDir,
        }));
      } catch (e) {
        p.error = errorText(e);
      } finally {
        await rpc?.close().catch(() => undefined);
      }
      return p;
    }),
  );
}
