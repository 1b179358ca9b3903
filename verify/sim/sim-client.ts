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
import type { DialFn } from "../../runtime/session/client/client-types.js";

export interface SimClientSpec {
  id: number;
  /** The servers' addresses; the client keeps one FsLib (one session) to each. */
  servers: readonly string[];
  dial: DialFn;
  /** Paths on every server. */
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

/** The history's name for `path` on server `k`: each server's files are registers of their own. */
export function historyPath(k: number, path: string): string {
  return `s${k}/${path}`;
}

const RETRIED = new Set(["Unreachable", "Timeout", "SessClosed"]);

/** An FsLib over the simulated network, retried while the server is unreachable. */
export async function simConnect(server: string, dial: DialFn, client: bigint): Promise<FsLib> {
  for (;;) {
    try {
      return await FsLib.connect(
        { named: server, localIp: "127.0.0.1", session: { dial, client } },
        { timeoutMs: 10_000 },
      );
    } catch (e) {
      if (!isSigmaError(e) || !RETRIED.has(errName(e.code) ?? "")) throw e;
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
  const fsls: FsLib[] = [];
  for (const server of spec.servers) fsls.push(await simConnect(server, spec.dial, clientId));
  const lim = { timeoutMs: spec.deadlineMs };
  // Calls in flight together may all fail with SessClosed: the first replaces the session.
  const replacing = new Map<FsLib, Promise<void>>();
  const noteError = async (e: unknown, k: number, used: FsLib): Promise<void> => {
    const name = isSigmaError(e) ? (errName(e.code) ?? "SigmaError") : "Error";
    if (name === "Timeout") return;
    if (!EXPECTED.has(name)) report.unexpected.push(`${name}: ${(e as Error).message}`);
    if (name !== "SessClosed") return;
    let replaced = replacing.get(used);
    if (replaced === undefined) {
      report.reopened++;
      replaced = (async () => {
        await used.exit().catch(() => undefined);
        fsls[k] = await simConnect(spec.servers[k] as string, spec.dial, clientId);
      })();
      replacing.set(used, replaced);
    }
    await replaced;
  };
  const run = async (k: number, op: OpKind, path: string, value?: string) => {
    const fsl = fsls[k] as FsLib;
    try {
      return { output: await runOp(fsl, op, path, value, lim) };
    } catch (e) {
      await noteError(e, k, fsl);
      return null;
    }
  };
  try {
    for (let seq = 1; seq <= spec.ops; seq++) {
      if (seq % 10 === 0) {
        // On server 0, where the final reader finds the order file.
        const values = [0, 1, 2].map((k) => `o${spec.id}.${seq}.${k};`);
        report.orderSent.push(...values);
        const done = await Promise.all(
          values.map((v) => run(0, "append", simOrderPath(spec.id), v)),
        );
        values.forEach((v, k) => done[k] !== null && report.orderAcked.add(v));
        continue;
      }
      const op = spec.random.pick(KINDS);
      const value = op === "get" || op === "remove" ? undefined : `c${spec.id}.${seq};`;
      const k = spec.random.int(0, spec.servers.length - 1);
      const path = spec.random.pick(spec.paths);
      const rec = spec.recorder.begin(spec.id, historyPath(k, path), op, value);
      const done = await run(k, op, path, value);
      if (done !== null) spec.recorder.end(rec, done.output);
    }
  } finally {
    for (const fsl of fsls) await fsl.exit().catch(() => undefined);
  }
  return report;
}

export function errName(code: number): string | undefined {
  return Object.entries(ErrCode).find(([, c]) => c === code)?.[0];
}
