/**
 * The runner's clients of named, and the one way the cases learn that a blocking request (a
 * watch, an OWATCH create) has reached named: its `.statsd` counter moved. Timing starts only
 * then, so a case measures the wake-up, not a race between arming and waking.
 */
import { FsLib } from "../../../runtime/client/index.js";

export interface ClientSettings {
  namedAddr: string;
  sessionTimeoutMs: number;
}

/** A client with the server's session timeout and a silence deadline below it (spec 3.7). */
export function connectClient(s: ClientSettings): Promise<FsLib> {
  return FsLib.connect({
    named: s.namedAddr,
    uname: "bench",
    localIp: "127.0.0.1",
    sessionTimeoutMs: s.sessionTimeoutMs,
    session: { keepaliveMs: s.sessionTimeoutMs / 4, silenceDeadlineMs: s.sessionTimeoutMs / 2 },
  });
}

/** A counter of named's `.statsd` (Nwatch, Ncreate, …). */
export async function namedCounter(fsl: FsLib, name: string): Promise<number> {
  const stats = JSON.parse(new TextDecoder().decode(await fsl.getFile("name/.statsd"))) as Record<
    string,
    number
  >;
  const v = stats[name];
  if (typeof v !== "number") throw new Error(`named .statsd has no ${name}`);
  return v;
}

/** Resolves once named's counter `name` has reached `target`. */
export async function counterReaches(fsl: FsLib, name: string, target: number): Promise<void> {
  while ((await namedCounter(fsl, name)) < target) await new Promise((r) => setImmediate(r));
}
