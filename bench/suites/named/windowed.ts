/**
 * A benchmark side that keeps a number of calls in flight (session/window.ts's CallWindow) and
 * reports each call's own latency.
 */
import type { SideHooks } from "../../lib/measure.js";
import { CallWindow } from "../session/window.js";

/** Calls in flight in the suite's pipelined cases. */
export const DEPTH = 64;

export function windowed(
  call: () => Promise<unknown>,
  depth = DEPTH,
): { run: () => Promise<void> } & Required<SideHooks> {
  const w = new CallWindow(call, depth);
  return { run: w.op, settle: w.settle, latency: w.latency };
}
