/**
 * A store is what the chaos clients talk to, started as child processes: named on memfs now, a
 * named replica set over etcd later (issue 14). Each plug-in says which of its processes faults
 * may target and whether it survives a kill, so the fault list stays valid per store.
 */
import type { ChildProcess } from "node:child_process";
import { startMemfsStore } from "./stores/memfs.js";

/** One process of the store that faults may pause or kill. */
export interface Member {
  name: string;
  child: ChildProcess;
}

export interface RunningStore {
  /** Addresses clients dial (through the fault proxy). */
  addrs: string[];
  members: Member[];
  /** Kills `m` and starts it again; only when the store's `survivesKill`. */
  restart?(m: Member): Promise<void>;
  stop(): Promise<void>;
}

export interface StorePlugin {
  name: string;
  /** Whether the data survives killing a member (memfs: no, it is the only copy, in memory). */
  survivesKill: boolean;
  start(env: NodeJS.ProcessEnv): Promise<RunningStore>;
}

export const STORES: Record<string, StorePlugin> = {
  memfs: { name: "memfs", survivesKill: false, start: startMemfsStore },
};
