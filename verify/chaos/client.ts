/**
 * One chaos client: its own FsLib session through the fault proxy, issuing the model's ops on
 * random paths one at a time, and every tenth turn three appends to its own order file sent
 * back to back on the session (the session keeps their order; the checker alone cannot see that,
 * as they overlap: see session-order.ts). Every other op is recorded; a Timeout is an unknown
 * outcome.
 */
import { ErrCode, FsLib, isSigmaError } from "../../index.js";
import type { OpKind } from "../lincheck/index.js";
import { runOp } from "./file-ops.js";
import type { Random } from "./random.js";
import type { Recorder } from "./recorder.js";

export interface ClientSpec {
  id: number;
  /** Addresses to try, in order (one per store address). */
  named: readonly string[];
  /** The store's session timeout (StorePlugin.sessionTimeoutMs). */
  sessionTimeoutMs?: number;
  paths: readonly string[];
  deadlineMs: number;
  random: Random;
  recorder: Recorder;
  /** Error names a fault of this run may cause (besides Timeout). */
  allowed: ReadonlySet<string>;
  stopped: () => boolean;
}

export interface ClientReport {
  /** Errors the docs do not list for this run's faults: `ErrName: message`. */
  unexpected: string[];
  /** Values appended to the order file, in the order they were sent. */
  orderSent: string[];
  /** Those whose append was acknowledged. */
  orderAcked: Set<string>;
}

const KINDS: readonly OpKind[] = [
  "get",
  "get",
  "get",
  "put",
  "put",
  "append",
  "append",
  "create",
  "remove",
];

export function orderPath(id: number): string {
  return `name/chaos/order-${id}`;
}

export async function runClient(spec: ClientSpec): Promise<ClientReport> {
  const report: ClientReport = { unexpected: [], orderSent: [], orderAcked: new Set() };
  let fsl = await connect(spec.named, spec.sessionTimeoutMs);
  let seq = 0;
  const call = async (op: OpKind, path: string, value?: string): Promise<void> => {
    const rec = spec.recorder.begin(spec.id, path, op, value);
    try {
      spec.recorder.end(rec, await runOp(fsl, op, path, value, { timeoutMs: spec.deadlineMs }));
    } catch (e) {
      await noteError(e);
    }
  };
  const noteError = async (e: unknown): Promise<void> => {
    const name = isSigmaError(e) ? (errName(e.code) ?? "SigmaError") : "Error";
    if (name === "Timeout") return;
    if (!spec.allowed.has(name)) report.unexpected.push(`${name}: ${(e as Error).message}`);
    // The session is gone (a listed error): start a new one, as a user would.
    if (name === "SessClosed") fsl = await reconnect(fsl, spec);
  };
  // Order appends stay out of the history: three appends in flight with no read between them
  // can end in any of 6 contents, and the search would try them all (session-order.ts checks them).
  const orderAppend = async (v: string): Promise<boolean> => {
    try {
      await runOp(fsl, "append", orderPath(spec.id), v, { timeoutMs: spec.deadlineMs });
      return true;
    } catch (e) {
      await noteError(e);
      return false;
    }
  };
  try {
    while (!spec.stopped()) {
      seq++;
      if (seq % 10 === 0) {
        const values = [0, 1, 2].map((k) => `o${spec.id}.${seq}.${k};`);
        report.orderSent.push(...values);
        const acked = await Promise.all(values.map((v) => orderAppend(v)));
        values.forEach((v, k) => acked[k] && report.orderAcked.add(v));
      } else {
        const op = spec.random.pick(KINDS);
        const value = op === "get" || op === "remove" ? undefined : `c${spec.id}.${seq};`;
        await call(op, spec.random.pick(spec.paths), value);
      }
    }
  } finally {
    await fsl.exit().catch(() => undefined);
  }
  return report;
}

async function reconnect(old: FsLib, spec: ClientSpec): Promise<FsLib> {
  await old.exit().catch(() => undefined);
  return connect(spec.named, spec.sessionTimeoutMs);
}

/**
 * A new session, tried again while none of the addresses takes one (a replicated store between
 * leaders refuses them for about its election lease).
 */
export async function connect(named: readonly string[], sessionTimeoutMs?: number): Promise<FsLib> {
  const giveUp = Date.now() + 30_000;
  for (;;) {
    try {
      return await FsLib.connect({ named, sessionTimeoutMs }, { timeoutMs: 10_000 });
    } catch (e) {
      if (Date.now() > giveUp) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

function errName(code: number): string | undefined {
  return Object.entries(ErrCode).find(([, c]) => c === code)?.[0];
}
