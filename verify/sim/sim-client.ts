/**
 * One simulated client: its own FsLib sessions over the simulated network, issuing the model's
 * ops on random paths one at a time with a per-call deadline, and every tenth turn three
 * appends to its own order file back to back (as verify/chaos/client.ts does, for the same
 * reason: see verify/chaos/session-order.ts). An op that fails has an unknown outcome; a closed
 * session (a partition longer than the session timeout) is replaced, as a user would.
 */
import { ErrCode, FsLib, isSigmaError } from "../../index.js";
import type { OpKind } from "../lincheck/index.js";
import { runOp } from "../chaos/file-ops.js";
import type { Random } from "../chaos/random.js";
import type { Recorder } from "../chaos/recorder.js";
import type { DialFn } from "../../runtime/session/types.js";

export interface SimClientSpec {
  id: number;
  server: string;
  dial: DialFn;
  paths: readonly string[];
  ops: number;
  deadlineMs: number;
  random: Random;
  recorder: Recorder;
}

export interface SimClientReport {
  /** Errors no fault of the simulation explains: `ErrName: message`. */
  unexpected: string[];
  orderSent: string[];
  orderAcked: Set<string>;
  /** Sessions that closed under this client (a partition past the session timeout). */
  reopened: number;
}

/** What the simulated faults may cause besides Timeout (docs/verification.md). */
const EXPECTED = new Set(["SessClosed", "Unreachable"]);

const KINDS: readonly OpKind[] = [
  "get",
  "get",
  "put",
  "put",
  "append",
  "append",
  "create",
  "remove",
];

export function simOrderPath(id: number): string {
  return `name/sim/order-${id}`;
}

/** An FsLib over the simulated network, retried while the server is unreachable. */
export async function simConnect(server: string, dial: DialFn, client: bigint): Promise<FsLib> {
  for (;;) {
    try {
      return await FsLib.connect(
        { named: server, localIp: "127.0.0.1", session: { dial, client } },
        { timeoutMs: 10_000 },
      );
    } catch (e) {
      if (!isSigmaError(e) || errName(e.code) === undefined) throw e;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

export async function runSimClient(spec: SimClientSpec): Promise<SimClientReport> {
  const report: SimClientReport = {
    unexpected: [],
    orderSent: [],
    orderAcked: new Set(),
    reopened: 0,
  };
  const clientId = BigInt(spec.id + 1);
  let fsl = await simConnect(spec.server, spec.dial, clientId);
  const lim = { timeoutMs: spec.deadlineMs };
  const noteError = async (e: unknown): Promise<void> => {
    const name = isSigmaError(e) ? (errName(e.code) ?? "SigmaError") : "Error";
    if (name === "Timeout") return;
    if (!EXPECTED.has(name)) report.unexpected.push(`${name}: ${(e as Error).message}`);
    if (name === "SessClosed") {
      report.reopened++;
      await fsl.exit().catch(() => undefined);
      fsl = await simConnect(spec.server, spec.dial, clientId);
    }
  };
  const orderAppend = async (v: string): Promise<boolean> => {
    try {
      await runOp(fsl, "append", simOrderPath(spec.id), v, lim);
      return true;
    } catch (e) {
      await noteError(e);
      return false;
    }
  };
  try {
    for (let seq = 1; seq <= spec.ops; seq++) {
      if (seq % 10 === 0) {
        const values = [0, 1, 2].map((k) => `o${spec.id}.${seq}.${k};`);
        report.orderSent.push(...values);
        const acked = await Promise.all(values.map((v) => orderAppend(v)));
        values.forEach((v, k) => acked[k] && report.orderAcked.add(v));
        continue;
      }
      const op = spec.random.pick(KINDS);
      const value = op === "get" || op === "remove" ? undefined : `c${spec.id}.${seq};`;
      const path = spec.random.pick(spec.paths);
      const rec = spec.recorder.begin(spec.id, path, op, value);
      try {
        spec.recorder.end(rec, await runOp(fsl, op, path, value, lim));
      } catch (e) {
        await noteError(e);
      }
    }
  } finally {
    await fsl.exit().catch(() => undefined);
  }
  return report;
}

export function errName(code: number): string | undefined {
  return Object.entries(ErrCode).find(([, c]) => c === code)?.[0];
}
