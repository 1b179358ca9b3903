/**
 * getFile against raw TCP ping-pong moving the same bytes (a framed Tgetfile and an Rread with
 * the file's 100 bytes): what the whole client and server stack costs over the wire alone.
 */
import type { SuiteContext } from "../../lib/suite.js";
import { ratioAtLeast } from "../../lib/target.js";
import { TcpPingPong } from "../session/tcp-client.js";
import { TcpMode } from "../session/tcp-mode.js";
import type { GetfileFrames } from "./getfile-frames.js";
import type { NamedOps } from "./named-ops.js";
import { DEPTH, windowed } from "./windowed.js";

export async function tcpCases(
  ctx: SuiteContext,
  ops: NamedOps,
  tcpPort: number,
  frames: GetfileFrames,
): Promise<void> {
  const seq = await connect(ctx, tcpPort, frames);
  const window = await connect(ctx, tcpPort, frames);
  const bytes = `${frames.requestFrame} B request, ${frames.replyFrame} B reply frames`;
  await ctx.compare({
    name: "named-getfile-seq",
    unit: "ops/s",
    timeEachOp: true,
    run: ops.getFile,
    baseline: { name: "tcp-pingpong-seq", run: () => seq.call() },
    target: ratioAtLeast(0.5),
    note: `getFile of 100 B, 1 in flight; TCP: ${bytes}`,
  });
  await ctx.compare({
    name: "named-getfile-64",
    unit: "ops/s",
    ...windowed(ops.getFile),
    baseline: { name: "tcp-pingpong-64", ...windowed(() => window.call()) },
    note: `${DEPTH} in flight; TCP: one socket write per message`,
  });
}

async function connect(
  ctx: SuiteContext,
  port: number,
  frames: GetfileFrames,
): Promise<TcpPingPong> {
  const c = await TcpPingPong.connect({
    port,
    mode: TcpMode.perMessage,
    requestBytes: frames.requestFrame,
    replyBytes: frames.replyFrame,
  });
  ctx.defer(() => c.close());
  await c.call();
  return c;
}
