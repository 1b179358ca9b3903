/**
 * The one client: sends a request over a Transport and brings back its typed reply, for any
 * protocol. A generated `<Protocol>Client` is a typed method per request over this.
 */
import { SigmaError } from "../errors/index.js";
import type { RequestDesc } from "../contract/descriptors.js";
import type { Registry } from "../contract/registry.js";
import { badFcall } from "../contract/runtime-errors.js";
import type { CallOptions, RawReply, Transport } from "../contract/transport.js";

/** What one request type needs, resolved from its descriptors once per registry. */
interface Call {
  readonly type: number;
  readonly encode: (m: unknown) => unknown[];
  readonly data: boolean;
  /** The reply's value, or the error it carries (rebuilt) or is (an unexpected type). */
  readonly onReply: (r: RawReply) => unknown;
}

const compiled = new WeakMap<Registry, readonly (Call | undefined)[]>();

export class ProtocolClient {
  readonly #transport: Transport;
  readonly #calls: readonly (Call | undefined)[];

  /** Hands the protocol's error table to runtime/errors (see Registry.describeErrors). */
  constructor(transport: Transport, registry: Registry) {
    this.#transport = transport;
    this.#calls = callsOf(registry);
    registry.describeErrors();
  }

  /**
   * One call. An error reply rejects with the SigmaError it carries, any other unexpected reply
   * with BadFcall, an unencodable request with the encoder's error. Not async: one `then` per
   * call, with functions made once per message type.
   */
  call<Req, Rep>(d: RequestDesc<Req, Rep>, req: Req, opts?: CallOptions): Promise<Rep> {
    const c = this.#calls[d.type];
    if (c === undefined)
      return Promise.reject(new Error(`not a request of this protocol: ${d.name}`));
    let body: unknown[];
    try {
      body = c.encode(req);
    } catch (e) {
      return Promise.reject(e);
    }
    const data = c.data ? (req as { data: Uint8Array }).data : null;
    // The reply's decoder is the descriptor's: the cast restores the type it decodes to.
    return this.#transport.call(c.type, body, data, opts).then(c.onReply) as Promise<Rep>;
  }
}

function callsOf(registry: Registry): readonly (Call | undefined)[] {
  let calls = compiled.get(registry);
  if (calls !== undefined) return calls;
  const table = new Array<Call | undefined>(256).fill(undefined);
  const errors = registry.protocol.errors;
  const error = registry.errorReply;
  for (const m of registry.messages) {
    const reply = m.reply === null ? undefined : registry.info(m.reply);
    if (m.kind !== "request" || reply === undefined) continue;
    const replyType = reply.type;
    const decode = reply.desc.decode;
    const expected = reply.name;
    table[m.type] = {
      type: m.type,
      encode: m.desc.encode,
      data: m.data,
      onReply: (r) => {
        if (r.type === replyType) return decode(r.body, r.data);
        if (r.type === error.type) {
          // Decoding checks the error reply's shape; its layout is [code, obj, text].
          error.desc.decode(r.body);
          const [code, obj, text] = r.body as [number, string, string];
          throw new SigmaError(code, obj, text === "" ? undefined : text);
        }
        throw badFcall(errors, expected, `expected ${expected}, got message type ${r.type}`);
      },
    };
  }
  compiled.set(registry, (calls = table));
  return calls;
}
