/**
 * named on etcd (docs/named-etcd.md): one replica of a replicated named. Replicas campaign for
 * one election key; the leader loads the tree from etcd, serves it on its fixed address, and
 * stops serving (closing its listener and every session) the moment its leadership may be gone.
 * While it does not serve, the same address refuses every hello as "not the leader", naming the
 * leader when it knows it (not-leader.ts), so a client tries the next address in its list at
 * once (spec 3.2, 3.8). Then the replica campaigns again. Sessions are recorded in etcd
 * (session-records.ts): a client whose leader died resumes its session on the next one.
 */
import { Perm } from "../../generated/sigmap/types.js";
import type { KeyRing } from "../../runtime/auth/index.js";
import type { Dir } from "../../runtime/fs/index.js";
import {
  campaign,
  etcdClient,
  etcdRefusal,
  EtcdFs,
  realmPrefix,
  type EtcdConnection,
} from "../../runtime/fs-etcd/index.js";
import { logger } from "../../runtime/log.js";
import { checkExposure } from "../../runtime/net/exposure.js";
import { startFileServer, type FileServer } from "../../runtime/protsrv/file-server.js";
import type { NetServer, TlsServerOptions } from "../../runtime/net/types.js";
import { replayReply } from "../../runtime/protsrv/replay-reply.js";
import { bootDirs } from "./layout.js";
import { namedSessionAuth, SHARED_DIR } from "./named-auth.js";
import { listenNotLeader } from "./not-leader.js";

const log = logger("named");

export interface EtcdNamedOptions {
  /** etcd client endpoints, `host:port`. */
  etcd: readonly string[];
  host: string;
  /** A fixed port: clients list every replica's address. */
  port: number;
  realm: string;
  /**
   * Sessions without a connection for this long are detached; their leases last as long, so a
   * session survives a failover only if this exceeds the failover (the election lease, plus the
   * load of the tree). Default 3 × leaseMs.
   */
  sessionTimeoutMs?: number;
  /** The election lease; a failover takes about this long. Default 2000 ms. */
  leaseMs?: number;
  /** Called when this replica starts or stops leading. */
  onRole?(role: "leading" | "following", why: string): void;
  /** named's own etcd user and TLS to etcd (docs/named-etcd.md); default none and plain. */
  etcdConnection?: EtcdConnection;
  /** As NamedOptions: serve TLS, require tokens, their skew, where refusals go, --insecure. */
  tls?: TlsServerOptions;
  authKeys?: KeyRing;
  authSkewMs?: number;
  onRefused?: (line: string) => void;
  insecure?: boolean;
}

export interface EtcdNamed {
  readonly addr: string;
  readonly leading: boolean;
  /**
   * Resolves with etcd's refusal if the replica gave up: a wrong password, a user without the
   * realm's role, a TLS certificate etcd or named does not accept. Retrying mends none of them;
   * anything else (etcd down) the replica waits out. Pending while it campaigns or serves.
   */
  readonly refused: Promise<Error>;
  close(): Promise<void>;
}

/**
 * Starts a replica; it campaigns in the background until closed. Throws at once (Inval) if it
 * may not serve its address (runtime/net/exposure.ts), before anything listens there.
 */
export function startEtcdNamed(o: EtcdNamedOptions): EtcdNamed {
  const addr = `${o.host}:${o.port}`;
  const auth = namedSessionAuth(o);
  checkExposure({
    what: "named",
    host: o.host,
    secured: auth !== undefined,
    tls: o.tls !== undefined,
    insecure: o.insecure === true,
  });
  const client = etcdClient(o.etcd, o.etcdConnection);
  const prefix = realmPrefix(o.realm);
  const abort = new AbortController();
  const leaseMs = o.leaseMs ?? 2000;
  const sessionTimeoutMs = o.sessionTimeoutMs ?? 3 * leaseMs;
  let leading = false;
  let stepDown: (why: string) => void = () => {};
  // While this replica does not serve: its address refuses hellos, naming the last leader seen.
  let holder: string | undefined;
  let everLed = false;
  let door: NetServer | undefined;
  const openDoor = async (): Promise<void> => {
    if (door !== undefined || abort.signal.aborted) return;
    door = await listenNotLeader({
      host: o.host,
      port: o.port,
      self: addr,
      leader: () => holder,
      ...(o.tls === undefined ? {} : { tls: o.tls }),
    });
  };
  const closeDoor = async (): Promise<void> => {
    const d = door;
    door = undefined;
    await d?.close();
  };

  const term = async (): Promise<void> => {
    const lead = await campaign({
      client,
      key: Buffer.from(`${prefix}leader`),
      value: addr,
      ttlSec: Math.max(1, Math.ceil(leaseMs / 1000)),
      signal: abort.signal,
      onHolder: (v) => {
        // Said once per new leader, so a person (and a test) can tell when refusals name it.
        if (v !== undefined && v !== addr && v !== holder)
          o.onRole?.("following", `the leader is ${v}`);
        holder = v;
      },
    });
    holder = addr;
    let server: FileServer | undefined;
    const over = new Promise<string>((resolve) => (stepDown = resolve));
    const fs = await EtcdFs.open({
      client,
      prefix,
      fenceRev: lead.fenceRev,
      deadline: () => lead.deadline(),
      sessionTtlSec: Math.max(1, Math.ceil(sessionTimeoutMs / 1000)),
      ...(auth === undefined ? {} : { rootPerm: SHARED_DIR }),
      onSessionLease: (s) => server?.protsrv.registerDetach(s, () => fs.endSession(s)),
      onSessionLost: (s) => void server?.sessions.detach(s),
      onRemoved: (dir, obj) => server?.protsrv.storeRemoved(dir, obj),
      onDeposed: (why) => stepDown(why),
    });
    try {
      const dirPerm = auth === undefined ? 0o777 : SHARED_DIR;
      for (const d of bootDirs(o.realm)) await mkdirAll(fs.root, d, dirPerm);
      await closeDoor();
      server = await startFileServer({
        root: fs.root,
        host: o.host,
        port: o.port,
        sessionTimeoutMs,
        name: "named",
        ...(o.tls === undefined ? {} : { tls: o.tls }),
        ...(o.insecure === undefined ? {} : { insecure: o.insecure }),
        // The fence table is kept in etcd: a new leader starts from it (docs/named-etcd.md).
        fenceStore: fs.fences,
        // Epoch files live in this store, found by id in the leader's cache, so with keys named
        // checks a fence against its file whenever one is created or raised, and serves .epochs
        // (docs/security.md, "Fences from the epoch file").
        ...(auth === undefined ? {} : { epochFiles: (id: bigint) => fs.byId(id), auth }),
        // Sessions are recorded in etcd, so the next leader takes back a resume of them.
        journal: {
          opened: (id, client, key) => fs.openSession(id, client, key),
          restore: (id, client, key) => fs.restoreSession(id, client, key),
          replayed: (id, seqno, type, body, data) => {
            const applied = fs.applied(id, seqno);
            return applied && replayReply(type, body, data, applied);
          },
        },
      });
      leading = true;
      everLed = true;
      o.onRole?.("leading", `fence revision ${lead.fenceRev}`);
      const why = await Promise.race([lead.lost, over]);
      fs.depose(why);
      leading = false;
      o.onRole?.("following", why);
    } finally {
      fs.close();
      leading = false;
      await server?.close();
      // Always: a term that failed (its port taken, etcd gone) must not keep the key alive.
      await lead.resign();
      holder = undefined;
    }
  };

  let refuse: (e: Error) => void = () => {};
  const refused = new Promise<Error>((resolve) => (refuse = resolve));
  const run = (async () => {
    while (!abort.signal.aborted) {
      try {
        // A port taken for now must not keep the replica from campaigning: it retries each term.
        const opened = door === undefined;
        await openDoor().catch((e: unknown) => log("named %s: not listening: %s", addr, String(e)));
        if (opened && door !== undefined && !everLed) {
          o.onRole?.("following", "not the leader: refusing sessions");
        }
        await term();
      } catch (e) {
        if (abort.signal.aborted) break;
        const refusal = etcdRefusal(e, o.etcdConnection ?? {}, prefix);
        if (refusal !== undefined) {
          log("named %s: stopped: %s", addr, refusal.message);
          refuse(refusal);
          break;
        }
        log("named %s: term ended: %s", addr, String(e));
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    await closeDoor();
  })();

  return {
    addr,
    get leading() {
      return leading;
    },
    refused,
    async close() {
      abort.abort();
      stepDown("closed");
      await run;
      client.close();
    },
  };
}

async function mkdirAll(root: Dir, path: string, perm: number): Promise<void> {
  let dir: Dir = root;
  for (const name of path.split("/").filter((s) => s !== "")) {
    const next =
      (await dir.lookup(name)) ?? (await dir.create(name, Perm.DMDIR | perm, { owner: "" }));
    if (next.kind !== "dir")
      throw new Error(`named: boot path ${path}: ${name} is not a directory`);
    dir = next;
  }
}
