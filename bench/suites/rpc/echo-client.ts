/**
 * The case's client, as a user builds one: FsLib to named, an RpcClient on `name/echo`, the
 * generated EchoClient over it. One op is one echo call; the first is checked.
 */
import { EchoClient } from "../../../generated/services/echo/rpc-client.js";
import { FsLib } from "../../../runtime/client/fslib/fslib.js";
import { RpcClient } from "../../../runtime/rpc/index.js";
import { ECHO_REQUEST } from "./echo-frames.js";

export interface EchoCaller {
  call(): Promise<unknown>;
  close(): Promise<void>;
}

export async function connectEcho(namedPort: number): Promise<EchoCaller> {
  const fsl = await FsLib.connect({
    named: `127.0.0.1:${namedPort}`,
    uname: "bench",
    localIp: "127.0.0.1",
  });
  const rpc = await RpcClient.connect(fsl, "name/echo");
  const echo = new EchoClient(rpc);
  const rep = await echo.echo(ECHO_REQUEST);
  if (rep.payload.length !== ECHO_REQUEST.payload.length || rep.text !== ECHO_REQUEST.text) {
    throw new Error("echo: the reply is not the request");
  }
  return {
    call: () => echo.echo(ECHO_REQUEST),
    close: async () => {
      await rpc.close();
      await fsl.close();
    },
  };
}
