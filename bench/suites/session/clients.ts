/**
 * The runner-side ends of every case: raw TCP (one connection per mode), one gRPC channel and
 * one session. Each is checked with a first call before anything is timed, and closed by the
 * suite's cleanup.
 */
import type { SuiteContext } from "../../lib/suite.js";
import type { FrameSizes } from "./frame-size.js";
import { GrpcUnary } from "./grpc-client.js";
import type { ServerPorts } from "./servers.js";
import { connectStack, type NullRpcClient } from "./stack-client.js";
import { TcpPingPong } from "./tcp-client.js";
import { TcpMode } from "./tcp-mode.js";

export interface Clients {
  tcpSeq: TcpPingPong;
  tcpWindow: TcpPingPong;
  tcpBatched: TcpPingPong;
  grpc: GrpcUnary;
  stack: NullRpcClient;
}

export async function connectClients(
  ctx: SuiteContext,
  ports: ServerPorts,
  sizes: FrameSizes,
): Promise<Clients> {
  const tcp = async (mode: TcpMode): Promise<TcpPingPong> => {
    const c = await TcpPingPong.connect({
      port: ports.tcp,
      mode,
      requestBytes: sizes.requestFrame,
      replyBytes: sizes.replyFrame,
    });
    ctx.defer(() => c.close());
    await c.call();
    return c;
  };
  const grpc = await GrpcUnary.connect({
    port: ports.grpc,
    requestBytes: sizes.requestPayload,
    replyBytes: sizes.replyPayload,
  });
  ctx.defer(() => grpc.close());
  await grpc.call();
  const stack = await connectStack(ports.stack);
  ctx.defer(() => stack.close());
  await stack.call();
  return {
    tcpSeq: await tcp(TcpMode.perMessage),
    tcpWindow: await tcp(TcpMode.perMessage),
    tcpBatched: await tcp(TcpMode.batched),
    grpc,
    stack,
  };
}
