/**
 * Per-call deadlines on the client (spec 3.7, deviation 6). A public call's `{ signal, timeoutMs }`
 * becomes one absolute limit shared by every request the call makes, so a walk + open + read
 * together respect the caller's timeout. Giving up is local: the request stays outstanding and its
 * late reply is handed to the caller's cleanup.
 */
import { ErrCode } from "../../generated/sigmap/types.js";
import { SigmaError } from "../errors/index.js";

/** What every remote call of the public API accepts as its last argument. */
export interface CallOpts {
  /** Fires: the call fails with Aborted (the signal's reason as `cause`). */
  signal?: AbortSignal;
  /** Passes: the call fails with Timeout. No default: calls wait while the session lives. */
  timeoutMs?: number;
}

/** A call's limits, fixed when the public call starts. */
export interface Limits {
  signal?: AbortSignal;
  /** Absolute time (Date.now() ms) after which the call fails with Timeout. */
  deadline?: number;
}

/**
 * What a Timeout or Aborted names: a string, or a path joined with "/" only when such an error is
 * made (every request names its path, and almost none fails this way).
 */
export type What = string | readonly string[];

// Most calls give neither; they share one frozen object instead of allocating one per call.
const NO_LIMITS: Limits = Object.freeze({});

/** Converts public options into limits; `timeoutMs` starts counting now. */
export function limitsOf(opts?: CallOpts): Limits {
  if (opts === undefined || (opts.signal === undefined && opts.timeoutMs === undefined)) {
    return NO_LIMITS;
  }
  const lim: Limits = {};
  if (opts?.signal !== undefined) lim.signal = opts.signal;
  if (opts?.timeoutMs !== undefined) lim.deadline = Date.now() + opts.timeoutMs;
  return lim;
}

/** Throws Aborted or Timeout if the limits have already passed (nothing is sent then). */
export function checkLimits(lim: Limits, what: What): void {
  if (lim.signal?.aborted) throw aborted(lim.signal, what);
  if (lim.deadline !== undefined && Date.now() >= lim.deadline) throw timeout(what);
}

/** Whether the call has a signal or a deadline at all. */
export function hasLimits(lim: Limits): boolean {
  return lim.signal !== undefined || lim.deadline !== undefined;
}

/**
 * Awaits `p` within the limits. If they pass first, rejects with Timeout or Aborted and hands the
 * still-pending `p` to `onAbandon`, which owns whatever state it creates.
 */
export function within<T>(
  p: Promise<T>,
  lim: Limits,
  what: What,
  onAbandon?: (late: Promise<T>) => void,
): Promise<T> {
  const { signal, deadline } = lim;
  if (signal === undefined && deadline === undefined) return p;
  return new Promise<T>((resolve, reject) => {
    let done = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (): boolean => {
      if (done) return false;
      done = true;
      if (timer !== undefined) clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      return true;
    };
    const giveUp = (err: SigmaError): void => {
      if (!finish()) return;
      // The caller gets the error; the late outcome must not surface as an unhandled rejection.
      p.catch(() => undefined);
      onAbandon?.(p);
      reject(err);
    };
    const onAbort = (): void => giveUp(aborted(signal, what));
    if (signal?.aborted) return onAbort();
    signal?.addEventListener("abort", onAbort, { once: true });
    if (deadline !== undefined) {
      timer = setTimeout(() => giveUp(timeout(what)), Math.max(0, deadline - Date.now()));
    }
    p.then(
      (v) => {
        if (finish()) resolve(v);
      },
      (e: unknown) => {
        if (finish()) reject(e);
      },
    );
  });
}

function aborted(signal: AbortSignal | undefined, what: What): SigmaError {
  return new SigmaError(ErrCode.Aborted, whatText(what), undefined, { cause: signal?.reason });
}

function timeout(what: What): SigmaError {
  return new SigmaError(ErrCode.Timeout, whatText(what));
}

function whatText(what: What): string {
  return typeof what === "string" ? what : what.join("/");
}

/** The options that give back `lim` (what is left of its deadline), for a call made later. */
export function optsOf(lim: Limits): CallOpts {
  if (!hasLimits(lim)) return {};
  const opts: CallOpts = {};
  if (lim.signal !== undefined) opts.signal = lim.signal;
  if (lim.deadline !== undefined) opts.timeoutMs = Math.max(0, lim.deadline - Date.now());
  return opts;
}
