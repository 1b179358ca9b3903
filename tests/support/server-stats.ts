/**
 * A file server's request counters (`.statsd` at the root of the client's `name` mount: named, or
 * a test server mounted as named). Waiting for a counter is how a test knows that a blocking
 * request (a watch, an OWATCH create) has reached the server, without sleeping.
 */
import type { FsLib } from "../../runtime/client/index.js";

/** A counter of the server's `.statsd` (e.g. Nwatch, Ncreate). */
export async function serverCounter(fsl: FsLib, name: string): Promise<number> {
  const raw = new TextDecoder().decode(await fsl.getFile("name/.statsd"));
  const v = (JSON.parse(raw) as Record<string, unknown>)[name];
  if (typeof v !== "number") throw new Error(`no counter ${name} in .statsd`);
  return v;
}

/**
 * Resolves once the server has counted `name` at least `target` times. The server counts a request
 * as it starts it; a watch or OWATCH create whose path no other request holds parks before the
 * server reads its next request, so a request sent after this resolves finds it parked.
 */
export async function serverCounterReaches(
  fsl: FsLib,
  name: string,
  target: number,
): Promise<void> {
  while ((await serverCounter(fsl, name)) < target) {
    await new Promise((r) => setImmediate(r));
  }
}
