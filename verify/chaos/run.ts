/**
 * One chaos run: start the store, put the fault proxy in front of it, run the clients while the
 * seeded fault schedule runs, heal, read every path once more, then check the history
 * (verify/lincheck), the session order of each client and the run's own bounds.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { FsLib } from "../../index.js";
import { FaultProxy } from "../../devtools/fault-proxy.js";
import { checkHistory, htmlReport, toHistory } from "../lincheck/index.js";
import { connect, orderPath, runClient, type ClientReport } from "./client.js";
import { FAULT_GAP_MS, FAULTS, type FaultPlugin } from "./faults.js";
import { runOp } from "./file-ops.js";
import { seeded } from "./random.js";
import { Recorder } from "./recorder.js";
import { orderProblem } from "./session-order.js";
import { STORES } from "./store.js";

export interface ChaosOptions {
  store: string;
  seconds: number;
  clients: number;
  faults: string[];
  seed: number;
  out?: string;
  /** Paths the clients share. */
  paths: number;
  deadlineMs: number;
  /** A run with fewer completed ops proves too little. */
  minOps: number;
  /** SIGMA_FAILPOINTS for the store's processes (runtime/failpoints.ts); "" for none. */
  failpoints: string;
}

export const CHAOS_DEFAULTS: ChaosOptions = {
  store: "memfs",
  seconds: 10,
  clients: 8,
  faults: ["cut", "pause"],
  seed: 1,
  paths: 24,
  deadlineMs: 2000,
  minOps: 1000,
  failpoints: "",
};

export interface ChaosResult {
  ok: boolean;
  /** The last line to print. */
  summary: string;
  /** Details printed before it. */
  problems: string[];
}

interface Counts {
  cuts: number;
  kills: number;
  pauses: number;
  partitions: number;
}

/** Usage problems (an unknown store or fault, a fault the store cannot take), or null. */
export function refuseOptions(o: ChaosOptions): string | null {
  const store = STORES[o.store];
  if (store === undefined)
    return `--store ${o.store}: known stores: ${Object.keys(STORES).join(", ")}`;

  for (const f of o.faults) {
    const fault = FAULTS[f];
    if (fault === undefined)
      return `--faults ${f}: known faults: ${Object.keys(FAULTS).join(", ")}`;
    const why = fault.refuse(store);
    if (why !== null) return `--faults ${f}: ${why}`;
  }
  return null;
}

export async function runChaos(o: ChaosOptions): Promise<ChaosResult> {
  const storePlugin = STORES[o.store];
  if (storePlugin === undefined) throw new Error(`unknown store ${o.store}`);
  const faults = o.faults.map((f) => FAULTS[f] as FaultPlugin);
  const random = seeded(o.seed);
  const store = await storePlugin.start({ ...process.env, SIGMA_FAILPOINTS: o.failpoints });
  const direct = store.addrs;
  // One proxy per client and store address, so that a partition can cut some clients off a
  // replica while others still reach it.
  const proxies: FaultProxy[][] = [];
  try {
    for (let c = 0; c < o.clients; c++) {
      const row: FaultProxy[] = [];
      proxies.push(row);
      for (const target of direct) row.push(await FaultProxy.start({ target }));
    }
  } catch (e) {
    await Promise.all(proxies.flat().map((p) => p.close()));
    await store.stop();
    throw e;
  }
  const counts: Counts = { cuts: 0, kills: 0, pauses: 0, partitions: 0 };
  const recorder = new Recorder();
  let reports: ClientReport[] = [];
  const orderContent = new Map<string, string | null>();
  try {
    await withClient(direct, (fsl) => fsl.mkDir("name/chaos"));
    const paths = Array.from({ length: o.paths }, (_, i) => `name/chaos/p${i}`);
    const allowed = new Set(
      faults.flatMap((f) => [...f.errors, ...(storePlugin.faultErrors[f.name] ?? [])]),
    );
    let stopped = false;
    const clients = Array.from({ length: o.clients }, (_, id) =>
      runClient({
        id,
        // Each client starts at a different address, as clients spread over replicas would: a
        // replica that wrongly still serves then keeps some clients while others move on.
        named: rotate(
          proxies[id]!.map((p) => p.addr),
          id,
        ),
        sessionTimeoutMs: storePlugin.sessionTimeoutMs,
        paths,
        deadlineMs: o.deadlineMs,
        random: seeded(o.seed * 1000 + id + 1),
        recorder,
        allowed,
        stopped: () => stopped,
      }),
    );
    const end = Date.now() + o.seconds * 1000;
    while (faults.length > 0 && Date.now() < end) {
      await sleep(random.int(...FAULT_GAP_MS));
      if (Date.now() >= end) break;
      const f = random.pick(faults);
      counts[f.counter]++;
      await f.inject({ proxies, store, plugin: storePlugin, random });
    }
    await sleep(end - Date.now());
    stopped = true;
    reports = await Promise.all(clients);
    progress(`clients stopped after ${recorder.ops.length} ops; final reads`);
    // Healed: no more faults, every member running; a fresh client reads straight from the store.
    await withClient(direct, async (fsl) => {
      for (const p of paths) {
        const rec = recorder.begin(o.clients, p, "get");
        recorder.end(rec, await runOp(fsl, "get", p, undefined, { timeoutMs: 10_000 }));
      }
      for (let id = 0; id < reports.length; id++) {
        const content = await runOp(fsl, "get", orderPath(id), undefined, { timeoutMs: 10_000 });
        orderContent.set(orderPath(id), content);
      }
    });
  } finally {
    await Promise.all(proxies.flat().map((p) => p.close()));
    await store.stop();
  }
  return judge(o, recorder, reports, orderContent, counts);
}

async function judge(
  o: ChaosOptions,
  recorder: Recorder,
  reports: ClientReport[],
  orderContent: ReadonlyMap<string, string | null>,
  counts: Counts,
): Promise<ChaosResult> {
  if (o.out !== undefined) {
    await mkdir(o.out, { recursive: true });
    await writeFile(path.join(o.out, "history.json"), JSON.stringify(recorder.history()) + "\n");
  }
  const history = toHistory(recorder.history());
  progress(`checking ${history.ops.length} ops`);
  const result = checkHistory(history);
  const problems: string[] = [];
  const completed = history.ops.filter((op) => op.ret !== null).length;
  reports.forEach((r, id) => {
    for (const e of r.unexpected.slice(0, 3))
      problems.push(`client ${id} saw an error not listed for its faults: ${e}`);
    const why = orderProblem(r.orderSent, r.orderAcked, orderContent.get(orderPath(id)) ?? null);
    if (why !== null) problems.push(`client ${id} session order: ${why}`);
  });
  for (const v of result.violations)
    problems.push(`path ${v.path}: ops ${v.ops.join(", ")} cannot be ordered`);
  // Last: a bug found is the headline even in a short run; too few ops matters when none was.
  if (completed < o.minOps)
    problems.push(`only ${completed} ops completed (at least ${o.minOps} needed)`);
  if (o.out !== undefined && !result.ok) {
    await writeFile(path.join(o.out, "history.html"), htmlReport(result, history));
  }
  // Partitions are counted only in runs that inject them, so other runs' lines stay as they were.
  const partitions = o.faults.includes("partition") ? `${counts.partitions} partitions, ` : "";
  const tail =
    `${history.ops.length} ops (${result.unknown} unknown), faults: ${counts.cuts} cuts, ` +
    `${counts.kills} kills, ${counts.pauses} pauses, ${partitions}seed ${o.seed}`;
  const ok = problems.length === 0;
  const verdict = !result.ok ? "NOT linearizable" : ok ? "linearizable" : `FAILED (${problems[0]})`;
  return { ok, summary: `chaos: ${verdict}, ${tail}`, problems };
}

async function withClient(
  named: readonly string[],
  fn: (fsl: FsLib) => Promise<unknown>,
): Promise<void> {
  const fsl = await connect(named);
  try {
    await fn(fsl);
  } finally {
    await fsl.exit();
  }
}

function rotate<T>(items: readonly T[], by: number): T[] {
  const k = by % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, Math.max(0, ms)));
}

/** Progress on stderr, so that stdout ends with the summary line. */
function progress(text: string): void {
  process.stderr.write(`chaos: ${text}\n`);
}
