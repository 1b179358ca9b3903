/**
 * The stack case's client, as a user builds one: the generated SigmapClient over a SessionClient
 * (sessclnt, netclnt). One op is one Tclunk, a request the server answers without doing anything.
 */
import { isDeepStrictEqual } from "node:util";
import { SigmapClient } from "../../../generated/sigmap/client.js";
import { SessionClient } from "../../../runtime/session/client/session-client.js";

export interface NullRpcClient {
  /** One null RPC (a Tclunk); the first call also checks the reply. */
  call(): Promise<unknown>;
  close(): Promise<void>;
}

export async function connectStack(port: number): Promise<NullRpcClient> {
  const session = await SessionClient.open({ addrs: [`127.0.0.1:${port}`] });
  const client = new SigmapClient(session);
  const req = { fid: 1 };
  const reply = await client.clunk(req);
  if (!isDeepStrictEqual(reply, {})) {
    await session.close();
    throw new Error(`Rclunk expected to be {}, got ${JSON.stringify(reply)}`);
  }
  return { call: () => client.clunk(req), close: () => session.close() };
}
