/**
 * Faults, each a plug-in, injected on a schedule drawn from the seed: every 150–500 ms one fault
 * of the list. What a fault may make a client see is part of the plug-in (`errors`, plus the
 * store's `faultErrors` for it): anything else a client sees fails the run, since
 * docs/session.md promises a flaky network and a short pause cost time only.
 */
import type { FaultProxy } from "../../tests/support/fault-proxy.js";
import { partition } from "./partition.js";
import type { Random } from "./random.js";
import type { Member, RunningStore, StorePlugin } from "./store.js";

export interface FaultContext {
  /** Per client, one per store address (in the store's `addrs` order). */
  proxies: FaultProxy[][];
  store: RunningStore;
  plugin: StorePlugin;
  random: Random;
}

export interface FaultPlugin {
  name: string;
  /** Counted in the summary line under this word. */
  counter: "cuts" | "kills" | "pauses" | "partitions";
  /** Error names (ErrCode) a client may see because of it, besides Timeout (an unknown outcome). */
  errors: readonly string[];
  /** Why it cannot run on `store`, or null. */
  refuse(store: StorePlugin): string | null;
  inject(ctx: FaultContext): Promise<void>;
}

/** How long a killed member stays down before it is started again. */
const DOWN_MS: [number, number] = [0, 1000];

const mustSurvive = (store: StorePlugin): string | null =>
  store.survivesKill
    ? null
    : `the ${store.name} store keeps its only copy in memory: a kill loses it`;

async function killOne(ctx: FaultContext, kind: Member["kind"]): Promise<void> {
  const m = ctx.random.pick(ctx.store.members.filter((x) => x.kind === kind));
  await ctx.store.restart?.(m, ctx.random.int(...DOWN_MS));
}

export const FAULTS: Record<string, FaultPlugin> = {
  cut: {
    name: "cut",
    counter: "cuts",
    errors: [],
    refuse: () => null,
    inject: async ({ proxies }) => {
      for (const p of proxies.flat()) p.cut();
    },
  },
  pause: {
    name: "pause",
    counter: "pauses",
    errors: [],
    refuse: () => null,
    inject: async ({ store, plugin, random }) => {
      // Half the time the leading replica, where there is one: pausing it is what tests fencing.
      const leader = store.members.find((x) => x.leading?.() === true);
      const m =
        leader !== undefined && random.int(0, 1) === 0 ? leader : random.pick(store.members);
      m.signal("SIGSTOP");
      await new Promise((r) => setTimeout(r, random.int(...plugin.pauseMs)));
      m.signal("SIGCONT");
    },
  },
  kill: {
    name: "kill",
    counter: "kills",
    errors: ["SessClosed", "Unreachable"],
    refuse: mustSurvive,
    inject: (ctx) => killOne(ctx, "named"),
  },
  "etcd-kill": {
    name: "etcd-kill",
    counter: "kills",
    errors: [],
    refuse: (store) =>
      store.name === "etcd" ? null : `the ${store.name} store has no etcd members`,
    inject: (ctx) => killOne(ctx, "etcd"),
  },
  partition: {
    name: "partition",
    counter: "partitions",
    errors: ["SessClosed", "Unreachable"],
    refuse: (store) =>
      store.replicated ? null : `the ${store.name} store has no replicas to partition`,
    inject: partition,
  },
};

export const FAULT_GAP_MS: [number, number] = [150, 500];
