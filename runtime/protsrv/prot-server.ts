/**
 * createProtServer: the generic protocol server over a root directory (spec 4, 10.1). One per
 * server; its per-session state appears on a session's first request and goes at detach.
 *
 * Fences: each handler checks its request's fence (ctx.fence) itself, so the handlers are
 * complete whether called through dispatchSigmap, a session server, or directly in tests; the
 * session layer does not need to know about fences. `checkFence` is the same check for server
 * code that runs requests of its own.
 */
import type { SigmapHandlers } from "../../generated/sigmap/server.js";
import type { Tfence } from "../../generated/sigmap/types.js";
import { MemFs, memDirOf, type Dir, type FenceStore, type FsObj } from "../fs/index.js";
import { logger } from "../log.js";
import { withDefaults } from "../options.js";
import type { RequestContext } from "./request-context.js";
import { detachSession } from "./detach.js";
import type { EpochFiles, FenceRelease, FenceTable, RemoteEpochs } from "./fence-table.js";
import { EPOCHS_NAME, EpochsDir } from "./epochs-dir.js";
import { FENCES_NAME, FencesDir } from "./fences-dir.js";
import { ProtHandlers } from "./handlers.js";
import { OverlayRoot } from "./overlay-root.js";
import { PROT_DEFAULTS, type ProtLimits } from "./limits.js";
import { ObjectLocks } from "./object-locks.js";
import { dirView, type ServerState } from "./server-state.js";
import { Sessions, type DetachCallback } from "./session-state.js";
import { STATSD_NAME, StatsdDevice } from "./statsd.js";
import { Stats, type StatsSnapshot } from "./stats.js";

export interface ProtServerOptions extends Partial<ProtLimits> {
  /** The tree to serve. Default: the root of a new MemFs. */
  root?: Dir;
  /**
   * Object ids for protsrv's own overlay objects. Default: the memfs allocator behind `root`, so
   * ids stay unique across the server; for another store, a counter from 2^63.
   */
  allocId?: () => bigint;
  /** Clock in seconds for overlay objects. Default wall-clock seconds. */
  now?: () => number;
  /**
   * Where this server holds the epoch files of the fences it sees (named): with principals, only
   * a holder of a fence's epoch file creates or raises the fence (docs/security.md, "Fences").
   */
  epochFiles?: EpochFiles;
  /**
   * Where a server without the epoch files reads them (memfsd, RPC servers: named's `.epochs`
   * through their FsLib): with principals, fences are checked against what it answers.
   */
  remoteEpochs?: RemoteEpochs;
  /**
   * Where the fence table is kept beyond this process (named on etcd: the store's fence keys),
   * so that a new server starts from it and fenced mutations are checked in the store's writes.
   * Default none: the table is memory only.
   */
  fenceStore?: FenceStore;
}

export interface ProtServer {
  /** What dispatchSigmap calls. */
  readonly handlers: SigmapHandlers<RequestContext>;
  /** The overlay root clients attach to. */
  readonly root: Dir;
  /** The fence table behind `.fences`. */
  readonly fences: FenceTable;
  /** The hook for startSessionServer: ends a session's protsrv state (spec 3.9 steps 1-4). */
  onDetach(session: { id: bigint }): Promise<void>;
  /**
   * Runs `fn` when `session` detaches, after its ephemeral objects are gone (spec 3.9 step 4).
   * Returns a function that unregisters it.
   */
  registerDetach(session: bigint, fn: DetachCallback): () => void;
  /**
   * Checks a fence (spec 4.9) and holds it in read mode until the release is called; Stale if
   * old. Server code's own requests: a fence store does not bind their mutations (`within`).
   */
  checkFence(fence: Tfence): Promise<FenceRelease>;
  /** The `.statsd` counters now. */
  stats(): StatsSnapshot;
  /**
   * The store removed `obj` from `dir` on its own (the etcd store, when a session lease ran out
   * without a server to remove the object): watches fire and ephemeral sets let it go, as after
   * a remove through protsrv.
   */
  storeRemoved(dir: Dir, obj: FsObj): void;
}

export function createProtServer(opts: ProtServerOptions = {}): ProtServer {
  const {
    root: given,
    allocId: givenAlloc,
    now: givenNow,
    epochFiles,
    remoteEpochs,
    fenceStore,
    ...limitOpts
  } = opts;
  const limits: ProtLimits = withDefaults(PROT_DEFAULTS, limitOpts);
  const inner = given ?? new MemFs().root;
  const memStore = memDirOf(inner)?.store;
  let fallbackId = 1n << 63n;
  const allocId = givenAlloc ?? (memStore ? () => memStore.allocId() : () => fallbackId++);
  const now = givenNow ?? (memStore ? () => memStore.now() : () => Math.floor(Date.now() / 1000));

  const stats = new Stats();
  const statsd = new StatsdDevice(allocId(), stats, now);
  const fencesDir = new FencesDir(allocId(), allocId, now, limits, {
    epochFiles,
    remoteEpochs,
    store: fenceStore,
  });
  // Where the epoch files are, `.epochs` tells other servers what they say.
  const epochsDir =
    epochFiles === undefined ? undefined : new EpochsDir(allocId(), allocId, now, epochFiles);
  const root =
    epochsDir === undefined
      ? new OverlayRoot(inner, [statsd, fencesDir], [STATSD_NAME, FENCES_NAME])
      : new OverlayRoot(
          inner,
          [statsd, fencesDir, epochsDir],
          [STATSD_NAME, FENCES_NAME, EPOCHS_NAME],
        );
  statsd.parent = root;
  fencesDir.parent = root;
  if (epochsDir !== undefined) epochsDir.parent = root;

  const server: ServerState = {
    root,
    locks: new ObjectLocks(),
    limits,
    fences: fencesDir.table,
    stats,
    sessions: new Sessions(limits),
    log: logger("protsrv"),
  };

  return {
    handlers: new ProtHandlers(server),
    root,
    fences: fencesDir.table,
    onDetach: (session) => detachSession(server, session.id),
    registerDetach(session, fn) {
      const st = server.sessions.get(session);
      st.detachCallbacks.add(fn);
      return () => {
        st.detachCallbacks.delete(fn);
      };
    },
    checkFence: (fence) => server.fences.enter(fence),
    stats: () => stats.snapshot(),
    storeRemoved(dir, obj) {
      server.sessions.dropEphemeral(obj);
      server.sessions.refs.unlinked(obj);
      server.locks.wake(obj);
      server.locks.wake(dirView(server, dir));
    },
  };
}
