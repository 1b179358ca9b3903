/** The Echo service's handlers: the reply is the request. */
import type { EchoHandlers } from "../../generated/services/echo/rpc-server.js";
import type { EchoReply, EchoRequest } from "../../generated/services/echo/types.js";
import type { RpcContext } from "../../runtime/rpc/index.js";

export class Echo implements EchoHandlers<RpcContext> {
  async echo(req: EchoRequest, _ctx: RpcContext): Promise<EchoReply> {
    return { text: req.text, payload: req.payload };
  }
}
