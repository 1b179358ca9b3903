/**
 * The one dispatcher: decodes a request by its type, calls the handler its descriptor names and
 * encodes the reply, for any protocol. What a generated `dispatch<Protocol>` used to switch over
 * is compiled once per registry into routes indexed by type.
 */
import { NO_DATA, type RawReply } from "../contract/transport.js";
import type { MessageInfo } from "../contract/registry-types.js";
import type { Registry } from "../contract/registry.js";
import { asSigmaError, badFcall, unknownMethod } from "../contract/runtime-errors.js";

/**
 * Runs one request against `handlers` (an object with one method per request, a generated
 * `<Protocol>Handlers`). Never rejects: malformed input and unknown types become the error reply
 * with BadFcall, a handler's SigmaError the error reply with its code, anything else thrown the
 * error reply with Error.
 */
export type Dispatcher = <Ctx>(
  handlers: object,
  type: number,
  body: unknown,
  data: Uint8Array,
  ctx: Ctx,
) => Promise<RawReply>;

type Handler = (req: unknown, ctx: unknown) => unknown;

/** What one request type needs, resolved from its descriptors once. */
interface Route {
  readonly method: string;
  readonly decode: (body: unknown, data: Uint8Array) => unknown;
  /** The answer to a handler's result, or the reason it cannot be encoded. */
  readonly reply: (rep: unknown) => RawReply;
}

/**
 * The dispatcher of a registry's protocol. Not an async function: one `then` on the handler's
 * promise is the only step between handler and caller, with no coroutine per request. The
 * protocol's error table describes codes once the first request has been dispatched.
 */
export function dispatcherFor(registry: Registry): Dispatcher {
  const fail = errorReplier(registry);
  const routes: (Route | undefined)[] = new Array<Route | undefined>(256).fill(undefined);
  for (const m of registry.messages) {
    if (m.kind !== "request" || m.method === null || m.reply === null) continue;
    const reply = registry.info(m.reply);
    if (reply === undefined) continue;
    const decode = m.desc.decode;
    routes[m.type] = { method: m.method, decode, reply: replier(reply, fail) };
  }
  let described = false;
  return (handlers, type, body, data, ctx) => {
    if (!described) {
      described = true;
      registry.describeErrors();
    }
    const route = (type & 0xff) === type ? routes[type] : undefined;
    if (route === undefined) {
      const err = badFcall(registry.protocol.errors, String(type), `unknown message type ${type}`);
      return Promise.resolve(fail(err));
    }
    try {
      const handler = (handlers as Record<string, Handler | undefined>)[route.method];
      if (typeof handler !== "function") {
        return Promise.resolve(fail(unknownMethod(registry.protocol.errors, route.method)));
      }
      const pending = handler.call(handlers, route.decode(body, data), ctx);
      return Promise.resolve(pending).then(route.reply, fail);
    } catch (e) {
      return Promise.resolve(fail(e));
    }
  };
}

function replier(reply: MessageInfo, fail: (e: unknown) => RawReply): (rep: unknown) => RawReply {
  const type = reply.type;
  const encode = reply.desc.encode;
  if (reply.data) {
    return (rep) => {
      try {
        return { type, body: encode(rep), data: (rep as { data: Uint8Array }).data };
      } catch (e) {
        return fail(e);
      }
    };
  }
  return (rep) => {
    try {
      return { type, body: encode(rep), data: NO_DATA };
    } catch (e) {
      return fail(e);
    }
  };
}

// The error reply's layout is part of the protocol: [code, obj, text] (codegen checks it).
function errorReplier(registry: Registry): (e: unknown) => RawReply {
  const type = registry.errorReply.type;
  const errors = registry.protocol.errors;
  return (e) => {
    const err = asSigmaError(e, errors);
    return { type, body: [err.code, err.obj, err.message], data: NO_DATA };
  };
}
