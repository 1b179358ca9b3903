/**
 * The session server's options with every default applied, merged in this one place.
 */
import { messageByType } from "../../../generated/sigmap/registry.js";
import type { MessageInfo } from "../../contract/index.js";
import { SERVER_DEFAULTS as NET_DEFAULTS } from "../../net/netsrv.js";
import { DEFAULT_MAX_FRAME, DEFAULT_SESSION_TIMEOUT_MS } from "../../defaults.js";
import { withDefaults } from "../../options.js";
import type { SessionServerOptions } from "./server-types.js";

export type ResolvedServerOptions = Required<
  Omit<SessionServerOptions, "onDetach" | "host" | "auth" | "journal">
> &
  Pick<SessionServerOptions, "onDetach" | "host" | "auth" | "journal">;

export const SERVER_DEFAULTS = {
  registry: messageByType as ReadonlyMap<number, MessageInfo>,
  port: 0,
  sessionTimeoutMs: DEFAULT_SESSION_TIMEOUT_MS,
  sweepIntervalMs: 50,
  closedGraceMs: 60_000,
  maxFrame: DEFAULT_MAX_FRAME,
  maxSessions: 10_000,
  maxQueuedPerSession: 1024,
  maxReplyTable: 4096,
  maxReplyBytesPerSession: 64 * 1024 * 1024,
  maxReplyBytes: 512 * 1024 * 1024,
  // SigmaOS's own test arms 10,000 watches on one session.
  maxParkedPerSession: 16_384,
  maxParked: 65_536,
  maxRequestBytesPerSession: 64 * 1024 * 1024,
  maxRequestBytes: 512 * 1024 * 1024,
  // Half of maxSessions / maxConnections: one host cannot lock every other one out.
  maxSessionsPerPeer: 5_000,
  // The net layer's limits, passed down; their defaults live with netsrv, which also runs alone.
  maxConnectionsPerPeer: NET_DEFAULTS.maxConnectionsPerPeer,
  frameTimeoutMs: NET_DEFAULTS.frameTimeoutMs,
  idleTimeoutMs: NET_DEFAULTS.idleTimeoutMs,
  maxPartialFrameBytes: NET_DEFAULTS.maxPartialFrameBytes,
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
    "maxReplyBytesPerSession",
    "maxReplyBytes",
    "maxParkedPerSession",
    "maxParked",
    "maxRequestBytesPerSession",
    "maxRequestBytes",
    "maxSessionsPerPeer",
    "maxConnectionsPerPeer",
    "frameTimeoutMs",
    "idleTimeoutMs",
    "maxPartialFrameBytes",
  ] as const) {
    const v = merged[key];
    if (!Number.isFinite(v) || v <= 0) throw new RangeError(`session server: ${key} must be > 0`);
  }
  return merged;
}
