/**
 * One call on the server side: envelope in, handler, envelope out. Never rejects: whatever goes
 * wrong (a malformed envelope, an unknown method, a handler that throws anything at all) becomes
 * an error reply, so no caller can take the server down.
 */
import type { Principal } from "../../auth/index.js";
import { ErrCode } from "../../../generated/sigmap/types.js";
import { errorText, isSigmaError, SigmaError } from "../../errors/index.js";
import type { WaitContext } from "../../fs/index.js";
import type { RpcService } from "../../contract/index.js";
import { decodeRequest, encodeErrorReply, encodeReply } from "../shared/envelope.js";
import type { RpcStats } from "../shared/rpc-stats.js";
import type { RpcContext } from "./rpc-context.js";

export class CallServer {
  readonly #service: RpcService<RpcContext>;
  readonly #stats: RpcStats;
  /** Method name as called (`Echo.Echo` or `Echo`) → the full name stats are kept under. */
  readonly #known = new Map<string, string>();

  constructor(service: RpcService<RpcContext>, stats: RpcStats) {
    this.#service = service;
    this.#stats = stats;
    for (const m of Object.values(service.info.methods)) {
      this.#known.set(m.fullName, m.fullName);
      this.#known.set(m.name, m.fullName);
    }
  }

  /**
   * Not async, and one `then` between the handler and the reply: this is every RPC's hot path on
   * the server, where a coroutine and a `finally` per call showed in profiles.
   */
  call(wait: WaitContext, req: Uint8Array): Promise<Uint8Array> {
    let method: string;
    let args: unknown;
    try {
      ({ method, args } = decodeRequest(req));
    } catch (e) {
      return Promise.resolve(encodeErrorReply(asSigmaError(e, "")));
    }
    const fullName = this.#fullName(method);
    if (fullName === undefined) {
      return Promise.resolve(
        encodeErrorReply(new SigmaError(ErrCode.NotSupported, method, `unknown method: ${method}`)),
      );
    }
    const t0 = performance.now();
    let pending: Promise<unknown[]>;
    try {
      pending = this.#service.dispatch(method, args, rpcContext(wait, method));
    } catch (e) {
      pending = Promise.reject(e);
    }
    return pending.then(
      (res) => {
        this.#stats.record(fullName, (performance.now() - t0) * 1000);
        try {
          return encodeReply(res);
        } catch (e) {
          return encodeErrorReply(asSigmaError(e, method));
        }
      },
      (e: unknown) => {
        this.#stats.record(fullName, (performance.now() - t0) * 1000);
        return encodeErrorReply(asSigmaError(e, method));
      },
    );
  }

  // Spec 8: the text after the last `.` names the method, whatever service name precedes it.
  #fullName(method: string): string | undefined {
    return this.#known.get(method) ?? this.#known.get(method.slice(method.lastIndexOf(".") + 1));
  }
}

// A class, not an object literal with a getter: one is made per call, and a literal with an
// accessor gets a map of its own each time. The session's abort signal is built on first use
// (protsrv combines two); most handlers never ask.
class CallContext implements RpcContext {
  readonly method: string;
  readonly #wait: WaitContext;

  constructor(wait: WaitContext, method: string) {
    this.#wait = wait;
    this.method = method;
  }

  get session(): bigint {
    return this.#wait.session;
  }

  get principal(): Principal | null {
    return this.#wait.principal ?? null;
  }

  get signal(): AbortSignal {
    return this.#wait.signal;
  }
}

function rpcContext(wait: WaitContext, method: string): RpcContext {
  return new CallContext(wait, method);
}

/** A handler's SigmaError travels as it is; anything else thrown becomes Error with its text. */
function asSigmaError(e: unknown, method: string): SigmaError {
  return isSigmaError(e) ? e : new SigmaError(ErrCode.Error, method, errorText(e));
}
