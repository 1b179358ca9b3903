/**
 * One request of a client session from the caller's side: the promise it waits on, and its
 * deadline (spec 3.7). The session keeps the request outstanding after the caller gives up, so
 * that a late reply is absorbed and acknowledged; giving up only settles the caller's promise.
 */
import { ErrCode } from "../../../generated/sigmap/types.js";
import { SigmaError } from "../../errors/index.js";
import type { CallOptions, RawReply } from "../../contract/index.js";
import type { WireMessage } from "../../net/types.js";

type Resolve = (reply: RawReply) => void;
type Reject = (err: unknown) => void;

export class PendingCall {
  /** 0 until the session issues the request (a call may first wait for a slot). */
  seqno = 0;
  msg: WireMessage | null = null;
  /** The caller's promise has settled: answered, failed or given up. */
  settled = false;
  /** A reply arrived; from then on the session forgets the request. */
  answered = false;
  /**
   * While the session waits to resend a request the server refused for a limit: that refusal,
   * which is what the caller gets if its deadline passes before the resend.
   */
  refusal: SigmaError | null = null;
  /** The delay before the next resend after a limit refusal; 0 before the first. */
  retryDelayMs = 0;

  #resolve: Resolve | null;
  #reject: Reject | null;
  #timer: NodeJS.Timeout | undefined = undefined;
  #signal: AbortSignal | undefined = undefined;
  #onAbort: (() => void) | undefined = undefined;

  /** Without resolve/reject the request is the session's own (a keepalive): nobody waits. */
  constructor(resolve: Resolve | null = null, reject: Reject | null = null) {
    this.#resolve = resolve;
    this.#reject = reject;
    if (resolve === null) this.settled = true;
  }

  /**
   * Starts the caller's deadline. Returns false (and fails the call) when the signal has already
   * fired, so the session need not send a request nobody waits for.
   */
  arm(opts: CallOptions): boolean {
    const { signal, timeoutMs } = opts;
    if (signal !== undefined) {
      if (signal.aborted) {
        this.fail(aborted(signal));
        return false;
      }
      this.#signal = signal;
      this.#onAbort = () => this.fail(aborted(signal));
      signal.addEventListener("abort", this.#onAbort, { once: true });
    }
    if (timeoutMs !== undefined) {
      this.#timer = setTimeout(() => {
        this.fail(this.refusal ?? new SigmaError(ErrCode.Timeout, `${timeoutMs} ms`));
      }, timeoutMs);
    }
    return true;
  }

  complete(reply: RawReply): void {
    if (this.settled) return;
    this.settled = true;
    this.#disarm();
    const resolve = this.#resolve!;
    this.#resolve = this.#reject = null;
    resolve(reply);
  }

  fail(err: unknown): void {
    if (this.settled) return;
    this.settled = true;
    this.#disarm();
    const reject = this.#reject!;
    this.#resolve = this.#reject = null;
    reject(err);
  }

  #disarm(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    if (this.#onAbort !== undefined) this.#signal!.removeEventListener("abort", this.#onAbort);
    this.#timer = this.#signal = this.#onAbort = undefined;
  }
}

function aborted(signal: AbortSignal): SigmaError {
  return new SigmaError(ErrCode.Aborted, "", undefined, { cause: signal.reason });
}
