/**
 * One seed of the simulation: one file server (protsrv over memfs, behind the session layer) and
 * several clients, in this process, over the simulated network and the virtual clock. The seed
 * draws everything: each client's ops and paths, every frame's latency, drops, duplicates, cuts
 * and partitions, session ids and keys. Afterwards the network heals, a fresh client reads every
 * path, and the history is checked (verify/lincheck) with each client's session order.
 */
import { dispatchSigmap } from "../../generated/sigmap/server.js";
import { setFailpoints } from "../../runtime/failpoints.js";
import { createProtServer } from "../../runtime/protsrv/prot-server.js";
import { createSessionService } from "../../runtime/session/server/session-service.js";
import { checkHistory, toHistory } from "../lincheck/index.js";
import { runOp } from "../chaos/file-ops.js";
import { seeded, type Random } from "../chaos/random.js";
import { Recorder } from "../chaos/recorder.js";
import { orderProblem } from "../chaos/session-order.js";
import {
  historyPath,
  runSimClient,
  simConnect,
  simOrderPath,
  type SimClientReport,
} from "./sim-client.js";
import { SimNetwork, type NetFaults } from "./sim-network.js";
import { installSeededBytes } from "./seeded-bytes.js";
import { drive, installClock } from "./virtual-clock.js";

export interface SimOptions {
  seed: number;
  /** File servers, each its own protsrv and memfs; every client has a session to each. */
  servers: number;
  clients: number;
  /** Ops each client issues (every tenth turn is three order appends instead). */
  ops: number;
  paths: number;
  deadlineMs: number;
  /** SIGMA_FAILPOINTS' syntax: `name[,name]`, or empty. */
  failpoints: string;
  net: NetFaults;
  /** Gap between two cuts or partitions, ms. */
  faultGapMs: readonly [number, number];
  /** How long a partition lasts, ms; past the session timeout (1 s) sessions close. */
  partitionMs: readonly [number, number];
  /** A seed still running after this much virtual time counts as hung. */
  virtualLimitMs: number;
}

export const SIM_DEFAULTS: Omit<SimOptions, "seed"> = {
  servers: 2,
  clients: 4,
  ops: 30,
  paths: 4,
  deadlineMs: 1500,
  failpoints: "",
  net: { latencyMs: [1, 15], drop: 0.01, duplicate: 0.01, noticeMs: [1, 400] },
  faultGapMs: [20, 400],
  partitionMs: [50, 2500],
  virtualLimitMs: 10 * 60_000,
};

export interface SimResult {
  ok: boolean;
  seed: number;
  /** One line: the verdict and what the seed did. */
  summary: string;
  problems: string[];
  /** The history as JSON, byte for byte what a replay of the seed records. */
  history: string;
}

export async function runSeed(o: SimOptions): Promise<SimResult> {
  setFailpoints(o.failpoints);
  // Separate streams, so that the bytes the runtime draws do not shift the schedule's draws.
  const restoreBytes = installSeededBytes(seeded(o.seed * 4 + 1));
  const clock = installClock();
  const recorder = new Recorder();
  try {
    return await drive(clock, simulate(o, recorder), o.virtualLimitMs);
  } catch (e) {
    // A hang or a crash is a finding too, and replays like any other.
    const why = e instanceof Error ? e.message : String(e);
    return {
      ok: false,
      seed: o.seed,
      summary: `sim: seed ${o.seed}: FAILED (${why}), ${recorder.ops.length} ops recorded`,
      problems: [why],
      history: JSON.stringify(recorder.history()),
    };
  } finally {
    clock.uninstall();
    restoreBytes();
    setFailpoints(process.env.SIGMA_FAILPOINTS);
  }
}

async function simulate(o: SimOptions, recorder: Recorder): Promise<SimResult> {
  const net = new SimNetwork(seeded(o.seed * 4 + 2), o.net);
  const services = Array.from({ length: o.servers }, (_, k) => {
    const protsrv = createProtServer({});
    const service = createSessionService({
      dispatch: (type, body, data, ctx) => dispatchSigmap(protsrv.handlers, type, body, data, ctx),
      onDetach: (s) => protsrv.onDetach(s),
    });
    net.addServer(serverAddr(k), service.hooks);
    return service;
  });
  const servers = services.map((_, k) => serverAddr(k));
  const paths = Array.from({ length: o.paths }, (_, i) => `name/sim/p${i}`);
  try {
    net.quiet();
    for (const server of servers) {
      const setup = await simConnect(server, net.dialer("setup"), 1000n);
      await setup.mkDir("name/sim");
      await setup.exit();
    }
    net.loud();
    let running = true;
    const clients = Array.from({ length: o.clients }, (_, id) =>
      runSimClient({
        id,
        servers,
        dial: net.dialer(`c${id}`),
        paths,
        ops: o.ops,
        deadlineMs: o.deadlineMs,
        random: seeded(o.seed * 4 + 3 + id * 1_000_003),
        recorder,
      }),
    );
    const faults = injectFaults(o, net, seeded(o.seed * 4 + 4), () => running);
    const reports = await Promise.all(clients);
    running = false;
    await faults;
    net.quiet();
    const orders = new Map<number, string | null>();
    const lim = { timeoutMs: 10_000 };
    for (const [k, server] of servers.entries()) {
      const final = await simConnect(server, net.dialer("final"), 1001n);
      for (const p of paths) {
        const rec = recorder.begin(o.clients, historyPath(k, p), "get");
        recorder.end(rec, await runOp(final, "get", p, undefined, lim));
      }
      if (k === 0) {
        for (let id = 0; id < o.clients; id++) {
          orders.set(id, await runOp(final, "get", simOrderPath(id), undefined, lim));
        }
      }
      await final.exit();
    }
    return judge(o, net, recorder, reports, orders);
  } finally {
    for (const service of services) service.shutdown();
  }
}

function serverAddr(k: number): string {
  return `s${k}:1`;
}

/** Cuts and partitions on a seeded schedule while the clients run. */
async function injectFaults(
  o: SimOptions,
  net: SimNetwork,
  random: Random,
  running: () => boolean,
): Promise<void> {
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  while (running()) {
    await sleep(random.int(...o.faultGapMs));
    if (!running()) break;
    if (random.int(0, 2) === 0) {
      // A client cut off from every server, or a server from every client.
      const k = random.int(0, o.clients + o.servers - 1);
      const host = k < o.clients ? `c${k}` : serverAddr(k - o.clients);
      net.partition(host);
      setTimeout(() => net.heal(host), random.int(...o.partitionMs));
    } else {
      net.cutOne();
    }
  }
}

function judge(
  o: SimOptions,
  net: SimNetwork,
  recorder: Recorder,
  reports: readonly SimClientReport[],
  orders: ReadonlyMap<number, string | null>,
): SimResult {
  const json = JSON.stringify(recorder.history());
  const history = toHistory(recorder.history());
  const result = checkHistory(history);
  const problems: string[] = [];
  reports.forEach((r, id) => {
    for (const e of r.unexpected.slice(0, 3)) problems.push(`client ${id} saw ${e}`);
    const why = orderProblem(r.orderSent, r.orderAcked, orders.get(id) ?? null);
    if (why !== null) problems.push(`client ${id} session order: ${why}`);
  });
  for (const v of result.violations) {
    problems.push(`path ${v.path}: ops ${v.ops.join(", ")} cannot be ordered`);
  }
  const ok = problems.length === 0;
  const verdict = !result.ok ? "NOT linearizable" : ok ? "linearizable" : `FAILED (${problems[0]})`;
  const c = net.counts;
  const summary =
    `sim: seed ${o.seed}: ${verdict}, ${history.ops.length} ops (${result.unknown} unknown), ` +
    `${c.frames} frames, ${c.drops} drops, ${c.duplicates} duplicates, ${c.cuts} cuts, ` +
    `${c.partitions} partitions, ${reports.reduce((n, r) => n + r.reopened, 0)} sessions closed`;
  return { ok, seed: o.seed, summary, problems, history: json };
}
