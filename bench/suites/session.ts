/**
 * Session suite: a null RPC through the whole stack (generated client, sessclnt, netclnt, netsrv,
 * sesssrv, generated dispatcher, a handler that does nothing) against the best simple
 * alternatives carrying the same bytes: raw TCP ping-pong and gRPC unary calls. Every server runs
 * in a child process, every client in the runner, for all sides alike.
 */
import { cpuPerCall } from "../lib/cpu-per-call.js";
import type { Suite, SuiteContext } from "../lib/suite.js";
import { ratioAtLeast } from "../lib/target.js";
import { connectClients, type Clients } from "./session/clients.js";
import { nullRpcFrameSizes, type FrameSizes } from "./session/frame-size.js";
import { startServers } from "./session/servers.js";
import { memoryCases } from "./session/memory.js";
import { CallWindow } from "./session/window.js";

/** Calls in flight in the pipelined cases. */
const DEPTH = 64;

export const suite: Suite = {
  name: "session",
  description: "null RPC through the session stack vs raw TCP ping-pong and gRPC unary",
  run: async (ctx) => {
    const sizes = nullRpcFrameSizes();
    const ports = await startServers(ctx, sizes);
    const clients = await connectClients(ctx, ports, sizes);
    const frames = `${sizes.requestFrame} B request, ${sizes.replyFrame} B reply frames`;
    await tcpCases(ctx, clients, frames);
    await cpuPerCall(ctx, {
      name: "null-rpc-seq",
      call: () => clients.stack.call(),
      server: ports.stackControl,
      note: "Tclunk, 1 in flight",
    });
    await grpcCases(ctx, clients, sizes);
    await memoryCases(ctx);
  },
};

async function tcpCases(ctx: SuiteContext, c: Clients, frames: string): Promise<void> {
  await ctx.compare({
    name: "null-rpc-seq",
    unit: "ops/s",
    timeEachOp: true,
    run: () => c.stack.call(),
    baseline: { name: "tcp-pingpong-seq", run: () => c.tcpSeq.call() },
    target: ratioAtLeast(0.6),
    note: `Tclunk, 1 in flight; ${frames}`,
  });
  await ctx.compare({
    name: "null-rpc-64",
    unit: "ops/s",
    ...windowed(() => c.stack.call()),
    baseline: { name: "tcp-pingpong-64", ...windowed(() => c.tcpWindow.call()) },
    target: ratioAtLeast(0.5),
    note: `Tclunk, ${DEPTH} in flight; TCP: one socket write per message`,
  });
  await ctx.measure({
    name: "tcp-batched-64",
    unit: "ops/s",
    ...windowed(() => c.tcpBatched.call()),
    note: `ceiling: ${DEPTH} in flight, writes gathered per event-loop turn on both ends`,
  });
}

async function grpcCases(ctx: SuiteContext, c: Clients, sizes: FrameSizes): Promise<void> {
  const payload = `${sizes.requestPayload} B request, ${sizes.replyPayload} B reply messages`;
  await ctx.compare({
    name: "null-rpc-seq-vs-grpc",
    unit: "ops/s",
    timeEachOp: true,
    run: () => c.stack.call(),
    baseline: { name: "grpc-unary-seq", run: () => c.grpc.call() },
    target: ratioAtLeast(3),
    note: `1 in flight; gRPC: ${payload}`,
  });
  await ctx.compare({
    name: "null-rpc-64-vs-grpc",
    unit: "ops/s",
    ...windowed(() => c.stack.call()),
    baseline: { name: "grpc-unary-64", ...windowed(() => c.grpc.call()) },
    target: ratioAtLeast(10),
    note: `${DEPTH} in flight on one channel / one session`,
  });
}

/** A side that keeps DEPTH calls in flight and reports each call's latency. */
function windowed(call: () => Promise<unknown>): {
  run: () => Promise<void>;
  settle: () => Promise<void>;
  latency: CallWindow["latency"];
} {
  const w = new CallWindow(call, DEPTH);
  return { run: w.op, settle: w.settle, latency: w.latency };
}
