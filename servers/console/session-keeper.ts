/**
 * A console stays open for days; its sessions may not. FsLib never replaces a closed session by
 * itself (spec 6.8), so the console does: when its session to named closes (named restarted, a
 * partition outlasted the session timeout), it reopens it, retrying until named answers; when a
 * session to a mounted server closes, it drops the mounts through it, so that the next look walks
 * the registration in named afresh.
 */
import type { FsLib } from "../../runtime/client/index.js";
import { errorText } from "../../runtime/errors/index.js";
import { logger } from "../../runtime/log.js";

const log = logger("console");

/** First and longest pause between attempts to reopen named's session. */
const RETRY_MS: [number, number] = [100, 10_000];

/** Keeps `fsl` usable until the returned function is called. */
export function keepSessions(fsl: FsLib): () => void {
  const stop = new AbortController();
  const named = new Set(fsl.namedAddr());
  void (async () => {
    for await (const ev of fsl.sessionEvents()) {
      if (stop.signal.aborted) return;
      if (ev.reason === "detached") continue; // this client's own exit or detach
      if (ev.addrs.some((a) => named.has(a))) {
        await reopenNamed(fsl, ev.reason, stop.signal);
        continue;
      }
      for (const m of fsl.mounts()) {
        if (m === "name") continue;
        const addrs = fsl.lastMount(`${m}/`).mount.addr.map((a) => a.addr);
        if (addrs.some((a) => ev.addrs.includes(a))) await fsl.disconnect(m).catch(() => undefined);
      }
    }
  })().catch((e: unknown) => log("session keeper: %s", errorText(e)));
  return () => stop.abort();
}

async function reopenNamed(fsl: FsLib, reason: string, signal: AbortSignal): Promise<void> {
  log("session to named closed (%s): reopening", reason);
  for (let wait = RETRY_MS[0]; !signal.aborted; wait = Math.min(2 * wait, RETRY_MS[1])) {
    try {
      await fsl.reopenSession("name/");
      log("session to named reopened");
      return;
    } catch (e) {
      log("reopening named's session: %s; again in %d ms", errorText(e), wait);
      await pause(wait, signal);
    }
  }
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
    function done(): void {
      clearTimeout(t);
      signal.removeEventListener("abort", done);
      resolve();
    }
  });
}
