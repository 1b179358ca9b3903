/**
 * A store is what the chaos clients talk to, started as child processes: named on memfs, or
 * three named replicas over a three-member etcd cluster. Each plug-in says which of its
 * processes faults may target, whether it survives a kill, and which errors its clients may see
 * under each fault, so the fault list and the allowed errors stay valid per store.
 */
import { ELECTION_LEASE_MS, startEtcdStore } from "./stores/etcd.js";
import { startMemfsStore } from "./stores/memfs.js";

/** One process of the store that faults may pause or kill. */
export interface Member {
  name: string;
  /** A named server or replica, or an etcd member. */
  kind: "named" | "etcd";
  /** Sends a signal if it runs (SIGSTOP, SIGCONT). */
  signal(sig: NodeJS.Signals): void;
  /** Whether it says it leads (replicas only). */
  leading?(): boolean;
}

export interface RunningStore {
  /**
   * Addresses clients dial (each through its own fault proxy), in the order they try them: one
   * per member of kind "named", in the members' order.
   */
  addrs: string[];
  members: Member[];
  /** Cuts a replica off etcd (every link refused) or heals it; replicated stores only. */
  isolate?(m: Member, cut: boolean): void;
  /** Resolves once a replica other than `not` says it leads, or after `ms`. */
  otherLeader?(not: Member, ms: number): Promise<void>;
  /** Kills `m`, waits `downMs`, and starts it again; only when the store's `survivesKill`. */
  restart?(m: Member, downMs: number): Promise<void>;
  stop(): Promise<void>;
}

export interface StorePlugin {
  name: string;
  /** Whether the data survives killing a member (memfs: no, it is the only copy, in memory). */
  survivesKill: boolean;
  /** Whether it runs replicas that elect a leader (a partition needs them). */
  replicated: boolean;
  /** How long a `pause` lasts, ms (drawn uniformly). */
  pauseMs: [number, number];
  /**
   * The session timeout its clients use: the servers' own, so that a client resumes its session
   * on a new leader (docs/named-etcd.md, "What bounds it"). Default the client's (1000 ms).
   */
  sessionTimeoutMs?: number;
  /** Errors its clients may see under a fault, besides the fault's own list. */
  faultErrors: Readonly<Record<string, readonly string[]>>;
  start(env: NodeJS.ProcessEnv): Promise<RunningStore>;
}

const FAILOVER_ERRORS = ["SessClosed", "Unreachable", "Unknownfid"] as const;

export const STORES: Record<string, StorePlugin> = {
  memfs: {
    name: "memfs",
    survivesKill: false,
    replicated: false,
    // Shorter than named's 1 s session timeout, so a paused store keeps its sessions.
    pauseMs: [50, 400],
    faultErrors: {},
    start: startMemfsStore,
  },
  etcd: {
    name: "etcd",
    survivesKill: true,
    replicated: true,
    // Up to past the 1 s election lease: a paused leader is sometimes deposed, and continued.
    pauseMs: [200, 2500],
    // named on etcd's default: sessions are journalled in etcd, and a client using the same
    // timeout resumes its session on the next leader.
    sessionTimeoutMs: 3 * ELECTION_LEASE_MS,
    // A session resumes across a failover, but may still close (SessClosed) when the failover
    // outlasts the session timeout; a replica that does not lead refuses it (Unreachable), and
    // a mutation in flight fails as Unknownfid: its outcome is unknown, as the old leader may
    // have applied it (runtime/client/fid/fid-revive.ts).
    faultErrors: {
      kill: FAILOVER_ERRORS,
      pause: FAILOVER_ERRORS,
      "etcd-kill": FAILOVER_ERRORS,
      partition: FAILOVER_ERRORS,
    },
    start: startEtcdStore,
  },
};
