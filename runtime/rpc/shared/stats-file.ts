import type { MethodStat } from "./rpc-stats.js";

/**
 * The `stats` file (spec 8): the server's request counters and its per-method RPC numbers. Both
 * ends know its shape; the counters are protsrv's `.statsd` snapshot, which the server names
 * (`RpcStatsFile<StatsSnapshot>`) and a client reads as counters by name, so this room needs no
 * arrow to protsrv.
 */
export interface RpcStatsFile<Counters = Readonly<Record<string, number>>> {
  SigmapStat: Counters;
  RpcStat: Record<string, MethodStat>;
}
