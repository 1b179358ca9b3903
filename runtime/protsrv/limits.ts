/**
 * protsrv's limits (docs/session.md, "Server limits: protsrv and memfs"): each bounds the memory
 * or the work one client can make the server spend, and each answers a clear error when hit.
 * Defaults are merged once, in createProtServer.
 */
import { SERVER_DEFAULTS } from "../session/server/server-options.js";

export interface ProtLimits {
  /**
   * Names one walk may take (Twalk, Tattach's aname, the wnames of Tgetfile, Tputfile and
   * Tremovefile); a longer one is Inval("walk too long") before any work. Default 1024: a walk
   * costs about a microsecond per element, so this bounds one request at about a millisecond,
   * and it is far beyond real paths (Linux's PATH_MAX of 4096 bytes holds at most 2048 elements).
   */
  maxWalkNames: number;
  /** Fids one session may hold at once; a walk, attach or clone beyond it is Nomem. Default 65,536. */
  maxFidsPerSession: number;
  /** Fids all sessions together may hold at once; beyond it Nomem. Default 1,048,576. */
  maxFids: number;
  /**
   * Entries of the fence table (spec 4.9, `.fences`). A new fence id beyond it first collects
   * entries no live session has used (oldest first); if none is collectable the request is
   * Nomem. Default 65,536.
   */
  maxFences: number;
  /**
   * Distinct fence ids one session may use; a new one beyond it is Nomem. Default 64: a session
   * fences for the few elections it takes part in, and filling the table with fences no one can
   * collect then takes maxFences / 64 = 1024 live sessions.
   */
  maxFencesPerSession: number;
  /**
   * The largest frame the session layer sends (the same option: startFileServer passes it to
   * both). A read's count is clamped so that its reply fits (9P's iounit rule: a read may return
   * fewer bytes than asked). Default: the session server's default (16 MiB).
   */
  maxFrame: number;
}

export const PROT_DEFAULTS: ProtLimits = {
  maxWalkNames: 1024,
  maxFidsPerSession: 65_536,
  maxFids: 1_048_576,
  maxFences: 65_536,
  maxFencesPerSession: 64,
  maxFrame: SERVER_DEFAULTS.maxFrame,
};

/**
 * Room in a frame for everything of an Rread but its data: the header (ids, seqno, acks, fence)
 * and the MessagePack framing take under 100 bytes today; 4 KiB leaves fields appended later
 * room too.
 */
export const REPLY_HEADROOM = 4096;

/** The most bytes one read may return under `limits`. */
export function maxReadCount(limits: ProtLimits): number {
  return Math.max(0, limits.maxFrame - REPLY_HEADROOM);
}
