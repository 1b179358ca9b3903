/**
 * The session client's options with every default applied (spec 11, profile `local`), merged
 * in this one place.
 */
import { ErrCode } from "../../../generated/sigmap/types.js";
import { SigmaError } from "../../errors/index.js";
import { DEFAULT_MAX_FRAME, DEFAULT_SESSION_TIMEOUT_MS } from "../../defaults.js";
import { withDefaults } from "../../options.js";
import type { DialFn, SessionClientOptions, TlsClientOptions } from "./client-types.js";

export interface ResolvedClientOptions {
  addrs: readonly string[];
  client: bigint | undefined;
  keepaliveMs: number;
  silenceDeadlineMs: number;
  sessionTimeoutMs: number;
  connectTimeoutMs: number;
  maxFrame: number;
  maxOutstanding: number;
  detachTimeoutMs: number;
  dial: DialFn | undefined;
  credentials: Uint8Array | undefined;
  tls: TlsClientOptions | undefined;
}

export const CLIENT_DEFAULTS = {
  keepaliveMs: 100,
  silenceDeadlineMs: 500,
  sessionTimeoutMs: DEFAULT_SESSION_TIMEOUT_MS,
  connectTimeoutMs: 1000,
  maxFrame: DEFAULT_MAX_FRAME,
  maxOutstanding: 4096,
  detachTimeoutMs: 1000,
} as const;

const POSITIVE = [
  "keepaliveMs",
  "silenceDeadlineMs",
  "sessionTimeoutMs",
  "connectTimeoutMs",
  "maxFrame",
  "maxOutstanding",
  "detachTimeoutMs",
] as const;

/** Throws Inval for an empty address list or a non-positive setting. */
export function resolveClientOptions(opts: SessionClientOptions): ResolvedClientOptions {
  const merged: ResolvedClientOptions = withDefaults(
    {
      client: undefined,
      dial: undefined,
      credentials: undefined,
      tls: undefined,
      ...CLIENT_DEFAULTS,
    },
    opts,
  );
  if (merged.addrs.length === 0) throw new SigmaError(ErrCode.Inval, "session: no addresses");
  for (const key of POSITIVE) {
    const v = merged[key];
    if (!Number.isFinite(v) || v <= 0) {
      throw new SigmaError(ErrCode.Inval, `session: ${key} = ${v}`);
    }
  }
  return merged;
}
