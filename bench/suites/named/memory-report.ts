/**
 * A process's memory, measured after full garbage collections when it runs with --expose-gc
 * (two: the first may only queue finalizers), and the runner's side that asks for it over the
 * control channel.
 */
import type { ControlClient } from "../../lib/control-client.js";

export interface MemoryUse {
  /** Resident set size, bytes: what the machine gives the process. */
  rss: number;
  /** Live JS heap, bytes. */
  heapUsed: number;
  /** ArrayBuffer backing stores (file contents among them), bytes; outside the JS heap. */
  arrayBuffers: number;
  /** Whether a collection ran first (false without --expose-gc). */
  collected: boolean;
}

export function memoryAfterGc(): MemoryUse {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  const m = process.memoryUsage();
  return {
    rss: m.rss,
    heapUsed: m.heapUsed,
    arrayBuffers: m.arrayBuffers,
    collected: gc !== undefined,
  };
}

/** Asks a child serving `memory: () => JSON.stringify(memoryAfterGc())` for its memory. */
export async function memoryUse(control: ControlClient): Promise<MemoryUse> {
  const text = await control.ask("memory");
  const v: unknown = JSON.parse(text);
  if (
    typeof v === "object" &&
    v !== null &&
    "rss" in v &&
    typeof v.rss === "number" &&
    "heapUsed" in v &&
    typeof v.heapUsed === "number" &&
    "arrayBuffers" in v &&
    typeof v.arrayBuffers === "number" &&
    "collected" in v &&
    typeof v.collected === "boolean"
  ) {
    return {
      rss: v.rss,
      heapUsed: v.heapUsed,
      arrayBuffers: v.arrayBuffers,
      collected: v.collected,
    };
  }
  throw new Error(`not a memory report: ${text}`);
}
