/**
 * CPU time per call on both ends of a sequential case: process.cpuUsage() deltas over a run of
 * calls, in the runner (the client) and in the server's child (asked over its control channel,
 * whose `cpu` answer is cpu-usage.ts). Steadier than throughput on a contended machine: time
 * spent waiting for a core does not count.
 */
import type { ControlClient } from "./control-client.js";
import type { SuiteContext } from "./suite.js";

export interface CpuPerCallSpec {
  /** The case measured; rows are `<name>-cpu-client` and `<name>-cpu-server`. */
  name: string;
  call: () => Promise<unknown>;
  /** The server's control channel. */
  server: ControlClient;
  note: string;
}

const CALLS = 20_000;
const SMOKE_CALLS = 200;
const WARMUP = 2_000;

export async function cpuPerCall(ctx: SuiteContext, spec: CpuPerCallSpec): Promise<void> {
  const n = ctx.smoke ? SMOKE_CALLS : CALLS;
  ctx.log(`${spec.name}: CPU per call over ${n} calls`);
  for (let i = 0; i < Math.min(n, WARMUP); i++) await spec.call();
  const server0 = Number(await spec.server.ask("cpu"));
  const client0 = process.cpuUsage();
  for (let i = 0; i < n; i++) await spec.call();
  const client = process.cpuUsage(client0);
  const server1 = Number(await spec.server.ask("cpu"));
  const note = `${spec.note}; CPU µs per call over ${n} sequential calls (process.cpuUsage)`;
  ctx.record({
    name: `${spec.name}-cpu-client`,
    value: (client.user + client.system) / n,
    unit: "us",
    note: `${note}, runner`,
  });
  ctx.record({
    name: `${spec.name}-cpu-server`,
    value: (server1 - server0) / n,
    unit: "us",
    note: `${note}, server process`,
  });
}
