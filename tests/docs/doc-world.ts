/**
 * What a doc's commands and programs run against: named on an ephemeral port (standing in for the
 * docs' `127.0.0.1:1111`), a procd registered in it, and the echo service at `name/echo`.
 */
import { FsLib } from "../../runtime/client/index.js";
import { startRpcServer } from "../../runtime/rpc/index.js";
import { echoService } from "../../generated/services/echo/rpc-server.js";
import { Echo } from "../../servers/echo/index.js";
import { startNamed } from "../../servers/named/index.js";
import { startProcd } from "../../servers/procd/index.js";
import { PROCS_DIR, testProcUser } from "../proc/procd-child.js";
import { DOC_NAMED } from "./doc-blocks.js";

export interface DocWorld {
  addr: string;
  /** `text` with the docs' placeholder address replaced by the real one. */
  localize(text: string): string;
  close(): Promise<void>;
}

export async function startDocWorld(): Promise<DocWorld> {
  const named = await startNamed();
  const closers: (() => Promise<unknown>)[] = [() => named.close()];
  const close = async () => {
    for (const c of closers.reverse()) await c().catch(() => undefined);
  };
  try {
    const procd = await startProcd({
      named: [named.addr],
      warmPool: 0,
      binDir: PROCS_DIR,
      procUser: testProcUser(),
    });
    closers.push(() => procd.close());
    const fsl = await FsLib.connect({ named: [named.addr], uname: "echo" });
    closers.push(() => fsl.close());
    const echo = await startRpcServer({ service: echoService(new Echo()), path: "name/echo", fsl });
    closers.push(() => echo.close());
  } catch (e) {
    await close();
    throw e;
  }
  return {
    addr: named.addr,
    localize: (text) => text.split(DOC_NAMED).join(named.addr),
    close,
  };
}
