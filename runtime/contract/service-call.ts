/**
 * The one service client and the one service server: an RPC call encoded, carried and decoded
 * from its method descriptor, and a service's handlers bound to its descriptor. Generated
 * `<Service>Client` and `<service>Service(handlers)` are typed shells over these.
 */
import { unknownMethod } from "./runtime-errors.js";
import type {
  RpcCallOptions,
  RpcMethodInfo,
  RpcService,
  RpcServiceInfo,
  RpcTransport,
} from "./service-types.js";

/** One call of `m` over `transport`. Not async: one `then`, the descriptor's own decoder. */
export function callRpc<Req, Rep>(
  transport: RpcTransport,
  m: RpcMethodInfo<Req, Rep>,
  req: Req,
  opts?: RpcCallOptions,
): Promise<Rep> {
  let args: unknown[];
  try {
    args = m.encodeRequest(req);
  } catch (e) {
    return Promise.reject(e);
  }
  return transport.call(m.fullName, args, opts).then(m.decodeReply);
}

type Handler = (req: unknown, ctx: unknown) => unknown;

/**
 * `handlers` (one method per rpc, a generated `<Service>Handlers`) serving `info`. The text after
 * the last `.` of a call's method picks the rpc, whatever service name precedes it (spec 8).
 */
export function bindService<Ctx>(info: RpcServiceInfo, handlers: object): RpcService<Ctx> {
  const methods = new Map<string, RpcMethodInfo>();
  for (const m of Object.values(info.methods)) {
    methods.set(m.fullName, m);
    methods.set(m.name, m);
  }
  return {
    info,
    dispatch(method, args, ctx) {
      const m = methods.get(method) ?? methods.get(method.slice(method.lastIndexOf(".") + 1));
      const handler =
        m === undefined ? undefined : (handlers as Record<string, Handler | undefined>)[m.method];
      if (m === undefined || typeof handler !== "function") {
        return Promise.reject(unknownMethod(info.errors, method));
      }
      try {
        return Promise.resolve(handler.call(handlers, m.decodeRequest(args), ctx)).then(
          m.encodeReply,
        );
      } catch (e) {
        return Promise.reject(e);
      }
    },
  };
}
