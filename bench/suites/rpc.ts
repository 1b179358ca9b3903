/**
 * rpc suite: an echo call with a 64-byte payload through RPC over files (generated EchoClient,
 * RpcClient, FsLib's writeRead, the session stack, protsrv, the RPC device, the generated
 * dispatcher) against raw TCP ping-pong and gRPC unary calls carrying the same bytes. Servers
 * run in child processes, every client in the runner.
 */
import { cpuPerCall } from "../lib/cpu-per-call.js";
import type { Suite, SuiteContext } from "../lib/suite.js";
import { ratioAtLeast } from "../lib/target.js";
import { GrpcUnary } from "./session/grpc-client.js";
import { TcpPingPong } from "./session/tcp-client.js";
import { TcpMode } from "./session/tcp-mode.js";
import { CallWindow } from "./session/window.js";
import { connectEcho, type EchoCaller } from "./rpc/echo-client.js";
import { echoFrameSizes, PAYLOAD_BYTES } from "./rpc/echo-frames.js";
import { startProcesses } from "./rpc/processes.js";

/** Calls in flight in the pipelined case. */
const DEPTH = 64;

export const suite: Suite = {
  name: "rpc",
  description: "echo (64 B) over RPC-over-files vs raw TCP ping-pong and gRPC unary",
  run: async (ctx) => {
    const sizes = echoFrameSizes();
    const ports = await startProcesses(ctx, sizes);
    const echo = await connectEcho(ports.named);
    ctx.defer(() => echo.close());
    const tcp = await TcpPingPong.connect({
      port: ports.tcp,
      mode: TcpMode.perMessage,
      requestBytes: sizes.requestFrame,
      replyBytes: sizes.replyFrame,
    });
    ctx.defer(() => tcp.close());
    await tcp.call();
    const grpc = await GrpcUnary.connect({
      port: ports.grpc,
      requestBytes: sizes.requestPayload,
      replyBytes: sizes.replyPayload,
    });
    ctx.defer(() => grpc.close());
    await grpc.call();

    const frames = `${sizes.requestFrame} B request, ${sizes.replyFrame} B reply frames`;
    const records = `${sizes.requestPayload} B request, ${sizes.replyPayload} B reply messages`;
    await cases(ctx, echo, tcp, grpc, `${PAYLOAD_BYTES} B payload`, frames, records);
    await cpuPerCall(ctx, {
      name: "rpc-echo-seq",
      call: () => echo.call(),
      server: ports.echoControl,
      note: `echo, ${PAYLOAD_BYTES} B payload, 1 in flight`,
    });
  },
};

async function cases(
  ctx: SuiteContext,
  echo: EchoCaller,
  tcp: TcpPingPong,
  grpc: GrpcUnary,
  payload: string,
  frames: string,
  records: string,
): Promise<void> {
  await ctx.compare({
    name: "rpc-echo-seq",
    unit: "ops/s",
    timeEachOp: true,
    run: () => echo.call(),
    baseline: { name: "tcp-pingpong-seq", run: () => tcp.call() },
    target: ratioAtLeast(0.4),
    note: `echo, ${payload}, 1 in flight; TCP: ${frames}`,
  });
  await ctx.compare({
    name: "rpc-echo-seq-vs-grpc",
    unit: "ops/s",
    timeEachOp: true,
    run: () => echo.call(),
    baseline: { name: "grpc-unary-seq", run: () => grpc.call() },
    target: ratioAtLeast(2.5),
    note: `echo, ${payload}, 1 in flight; gRPC: ${records}`,
  });
  await ctx.compare({
    name: "rpc-echo-64-vs-grpc",
    unit: "ops/s",
    ...windowed(() => echo.call()),
    baseline: { name: "grpc-unary-64", ...windowed(() => grpc.call()) },
    target: ratioAtLeast(10),
    note: `echo, ${payload}, ${DEPTH} in flight on one session / one channel`,
  });
}

function windowed(call: () => Promise<unknown>): {
  run: () => Promise<void>;
  settle: () => Promise<void>;
  latency: CallWindow["latency"];
} {
  const w = new CallWindow(call, DEPTH);
  return { run: w.op, settle: w.settle, latency: w.latency };
}
