/**
 * The RPC tests' world: named, an Echo RPC server registered in it, and clients. The test
 * handlers add failure modes to plain echo, chosen by the request's text.
 */
import { EchoClient } from "../../generated/services/echo/rpc-client.js";
import { echoService, type EchoHandlers } from "../../generated/services/echo/rpc-server.js";
import type { EchoReply, EchoRequest } from "../../generated/services/echo/types.js";
import { FsLib } from "../../runtime/client/fslib/fslib.js";
import { SigmaError } from "../../runtime/errors/index.js";
import {
  RpcClient,
  startRpcServer,
  type RpcContext,
  type RpcServer,
} from "../../runtime/rpc/index.js";
import type { Named } from "../../servers/named/index.js";
import type { Store } from "../support/store-matrix.js";

export const SERVICE_PATH = "name/echo";

/**
 * `fail:<code>` throws SigmaError(code, "obj", "handler failed"); `crash` throws a plain Error;
 * `crash-value` throws a string; `sleep:<ms>` answers after ms (failing when the session ends);
 * anything else is echoed.
 */
export class TestEcho implements EchoHandlers<RpcContext> {
  /** Calls per calling session. */
  readonly bySession = new Map<bigint, number>();

  async echo(req: EchoRequest, ctx: RpcContext): Promise<EchoReply> {
    this.bySession.set(ctx.session, (this.bySession.get(ctx.session) ?? 0) + 1);
    const [verb, arg] = req.text.split(":");
    if (verb === "fail") throw new SigmaError(Number(arg), "obj", "handler failed");
    if (verb === "crash") throw new Error("handler crashed");
    if (verb === "crash-value") throw "a string, not an Error";
    if (verb === "sleep") await sleep(Number(arg), ctx.signal);
    return { text: req.text, payload: req.payload };
  }
}

export interface World {
  named: Named;
  /** The FsLib the server registered through. */
  serverFsl: FsLib;
  server: RpcServer;
  handlers: TestEcho;
  /** Every FsLib made by `client`, closed at the end. */
  fsls: FsLib[];
  close(): Promise<void>;
}

export interface WorldOptions {
  sessionTimeoutMs?: number;
}

/** named on `store`, and the Echo server registered in it. */
export async function startWorld(store: Store, opts: WorldOptions = {}): Promise<World> {
  const named = await store.startNamed({ sessionTimeoutMs: opts.sessionTimeoutMs });
  const serverFsl = await connect(named.addr);
  const handlers = new TestEcho();
  const server = await startRpcServer({
    service: echoService(handlers),
    host: "127.0.0.1",
    port: 0,
    sessionTimeoutMs: opts.sessionTimeoutMs,
    path: SERVICE_PATH,
    fsl: serverFsl,
  });
  const fsls: FsLib[] = [];
  return {
    named,
    serverFsl,
    server,
    handlers,
    fsls,
    close: async () => {
      await Promise.all(fsls.map((f) => f.close().catch(() => undefined)));
      await server.close();
      await serverFsl.close().catch(() => undefined);
      await named.close();
    },
  };
}

export function connect(named: string, sessionTimeoutMs?: number): Promise<FsLib> {
  return FsLib.connect({ named, localIp: "127.0.0.1", uname: "test", sessionTimeoutMs });
}

/** A typed Echo client over `n` fresh FsLibs (sessions). */
export async function echoClient(
  w: World,
  n = 1,
): Promise<{ echo: EchoClient; rpc: RpcClient; fsls: FsLib[] }> {
  const fsls = await Promise.all(Array.from({ length: n }, () => connect(w.named.addr)));
  w.fsls.push(...fsls);
  const rpc = await RpcClient.connect(fsls, SERVICE_PATH);
  return { echo: new EchoClient(rpc), rpc, fsls };
}

export const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

/** Rejects within `ms` when the handler's session ends. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(t);
      reject(signal.reason);
    });
  });
}
