/**
 * Starts the suite's three servers, each in its own child process, all at once (child start-up
 * is most of a smoke run's time). Every child that started is stopped by the suite's cleanup,
 * also when another failed to start.
 */
import { startChild, type RunningChild } from "../../lib/child.js";
import { ControlClient } from "../../lib/control-client.js";
import type { SuiteContext } from "../../lib/suite.js";
import type { FrameSizes } from "./frame-size.js";

export interface ServerPorts {
  tcp: number;
  grpc: number;
  stack: number;
  /** The stack server's control channel (its CPU time). */
  stackControl: ControlClient;
}

export async function startServers(ctx: SuiteContext, sizes: FrameSizes): Promise<ServerPorts> {
  const started = await Promise.allSettled([
    start(ctx, "tcp-server.ts", sizes.replyFrame),
    start(ctx, "grpc-server.ts", sizes.replyPayload),
    start(ctx, "stack-server.ts"),
  ]);
  const [tcp, grpc, control] = started.map((s) => {
    if (s.status === "rejected") throw s.reason;
    return s.value.port;
  });
  if (tcp === undefined || grpc === undefined || control === undefined) {
    throw new Error("a server did not start");
  }
  const stackControl = await ControlClient.connect(control);
  ctx.defer(() => stackControl.close());
  return { tcp, grpc, stack: Number(await stackControl.ask("port")), stackControl };
}

async function start(ctx: SuiteContext, file: string, replyBytes?: number): Promise<RunningChild> {
  const args = replyBytes === undefined ? [] : [String(replyBytes)];
  const child = await startChild({ module: new URL(file, import.meta.url), args });
  ctx.defer(() => child.stop());
  return child;
}
