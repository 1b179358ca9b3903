/**
 * The session server's options with every default applied, merged in this one place.
 */
import { messageByType } from "../../generated/sigmap/registry.js";
import type { MessageInfo } from "../wire/index.js";
import { withDefaults } from "../options.js";
import type { SessionServerOptions } from "./types.js";

export type ResolvedServerOptions = Required<
  Omit<SessionServerOptions, "onDetach" | "host" | "auth" | "tls">
> &
  Pick<SessionServerOptions, "onDetach" | "host" | "auth" | "tls">;

export const SERVER_DEFAULTS = {
  registry: messageByType as ReadonlyMap<number, MessageInfo>,
  port: 0,
  sessionTimeoutMs: 1000,
  sweepIntervalMs: 50,
  closedGraceMs: 60_000,
  maxFrame: 16 * 1024 * 1024,
  maxSessions: 10_000,
  maxQueuedPerSession: 1024,
  maxReplyTable: 4096,
} as const;

export function resolveServerOptions(opts: SessionServerOptions): ResolvedServerOptions {
  const merged: ResolvedServerOptions = withDefaults(SERVER_DEFAULTS, opts);
  for (const key of [
    "sessionTimeoutMs",
    "sweepIntervalMs",
    "closedGraceMs",
    "maxSessions",
    "maxQueuedPerSession",
    "maxReplyTable",
  ] as const) {
    const v = merged[key];
    if (!Number.isFinite(v) || v <= 0) throw new RangeError(`session server: ${key} must be > 0`);
  }
  return merged;
}
