/**
 * Faults, each a plug-in, injected on a schedule drawn from the seed: every 150–500 ms one fault
 * of the list. What a fault may make a client see is part of the plug-in (`errors`): anything
 * else a client sees fails the run, since docs/session.md promises a flaky network and a short
 * pause cost time only.
 */
import type { FaultProxy } from "../../tests/support/fault-proxy.js";
import type { Random } from "./random.js";
import type { Member, RunningStore, StorePlugin } from "./store.js";

export interface FaultContext {
  proxy: FaultProxy;
  store: RunningStore;
  random: Random;
}

export interface FaultPlugin {
  name: string;
  /** Counted in the summary line under this word. */
  counter: "cuts" | "kills" | "pauses";
  /** Error names (ErrCode) a client may see because of it, besides Timeout (an unknown outcome). */
  errors: readonly string[];
  /** Why it cannot run on `store`, or null. */
  refuse(store: StorePlugin): string | null;
  inject(ctx: FaultContext): Promise<void>;
}

/** Shorter than named's 1 s session timeout, so a paused store keeps its sessions. */
const PAUSE_MS: [number, number] = [50, 400];

export const FAULTS: Record<string, FaultPlugin> = {
  cut: {
    name: "cut",
    counter: "cuts",
    errors: [],
    refuse: () => null,
    inject: async ({ proxy }) => proxy.cut(),
  },
  pause: {
    name: "pause",
    counter: "pauses",
    errors: [],
    refuse: () => null,
    inject: async ({ store, random }) => {
      const m = random.pick(store.members);
      signal(m, "SIGSTOP");
      await new Promise((r) => setTimeout(r, random.int(...PAUSE_MS)));
      signal(m, "SIGCONT");
    },
  },
  kill: {
    name: "kill",
    counter: "kills",
    errors: ["SessClosed", "Unreachable"],
    refuse: (store) =>
      store.survivesKill
        ? null
        : `the ${store.name} store keeps its only copy in memory: a kill loses it`,
    inject: async ({ store, random }) => {
      const m = random.pick(store.members);
      await store.restart?.(m);
    },
  },
};

export const FAULT_GAP_MS: [number, number] = [150, 500];

function signal(m: Member, sig: NodeJS.Signals): void {
  if (m.child.exitCode === null && m.child.signalCode === null) m.child.kill(sig);
}
