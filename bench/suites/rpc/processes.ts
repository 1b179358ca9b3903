/**
 * The suite's three servers, each in its own child process, started at once: the raw-TCP and
 * gRPC servers of the session suite, sized for the echo call, and named with the Echo service.
 */
import { startChild } from "../../lib/child.js";
import { ControlClient } from "../../lib/control-client.js";
import type { SuiteContext } from "../../lib/suite.js";
import type { FrameSizes } from "../session/frame-size.js";

export interface Ports {
  tcp: number;
  grpc: number;
  named: number;
  /** The echo server's control channel (its CPU time). */
  echoControl: ControlClient;
}

export async function startProcesses(ctx: SuiteContext, sizes: FrameSizes): Promise<Ports> {
  const start = async (module: URL, args: string[] = []): Promise<number> => {
    const child = await startChild({ module, args });
    ctx.defer(() => child.stop());
    return child.port;
  };
  const started = await Promise.allSettled([
    start(new URL("../session/tcp-server.ts", import.meta.url), [String(sizes.replyFrame)]),
    start(new URL("../session/grpc-server.ts", import.meta.url), [String(sizes.replyPayload)]),
    start(new URL("./echo-server.ts", import.meta.url)),
  ]);
  const [tcp, grpc, control] = started.map((s) => {
    if (s.status === "rejected") throw s.reason;
    return s.value;
  });
  if (tcp === undefined || grpc === undefined || control === undefined) {
    throw new Error("a server did not start");
  }
  const echoControl = await ControlClient.connect(control);
  ctx.defer(() => echoControl.close());
  return { tcp, grpc, named: Number(await echoControl.ask("port")), echoControl };
}
