/**
 * The child side of child.ts: a benchmark server calls announceReady(port) once it listens.
 * Kept apart from child.ts so that servers do not import process-spawning code.
 */

/** The line prefix child.ts waits for; the port follows after one space. */
export const READY_PREFIX = "bench-ready";

export function announceReady(port: number): void {
  process.stdout.write(`${READY_PREFIX} ${port}\n`);
}
