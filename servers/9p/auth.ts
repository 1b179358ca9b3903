/**
 * Tauth. No authentication exists yet (a separate issue), so every Tauth is answered with the
 * "authentication not required" error 9P2000.L clients expect: Rlerror(ENOENT), which diod's
 * libnpclient and Linux's v9fs take as "attach without an afid". When authentication lands, this
 * is the one place that changes: it returns an afid's qid, and Tattach checks the afid.
 */
import type { Msg, Qid } from "./codec.js";
import { Errno, ErrnoError } from "./errno.js";

export function serveAuth(_req: Msg<"Tauth">): Promise<Qid> {
  return Promise.reject(new ErrnoError(Errno.ENOENT, "authentication not required"));
}
