/**
 * The `partition` fault: the network splits around the leading replica. Its side keeps some of
 * the clients and loses etcd; the other side keeps etcd, the other replicas and the rest of the
 * clients. The leader is paused meanwhile, past its election lease, so that the other side
 * elects a new leader and its clients write through it before the old leader runs again; then
 * the old leader is continued while its side still reaches only it, and later the network heals.
 *
 * That is the one moment a deposed leader can do harm: clients that still talk to it ask for
 * what the other side has changed. A correct replica has stopped serving by then (its local
 * lease deadline passed); one blind to its lease's end (failpoints `fence-off`, `lease-late`)
 * answers from its stale cache. Cutting it off etcd keeps it from learning of the new leader
 * through its watch (whose first refused write would end its leadership) while its side reads;
 * with `fence-off` the writes it sent meanwhile commit unfenced once the link heals.
 */
import type { FaultContext } from "./faults.js";
import type { Random } from "./random.js";

/** How long the new leader's side works before the old leader is continued, ms. */
const NEW_SIDE_MS: [number, number] = [400, 900];
/** How long the old leader's side then reaches only it, ms. */
const OLD_SIDE_MS: [number, number] = [800, 1500];
/** How long to wait for the other side to elect a leader, ms. */
const ELECTION_MS = 5000;

export async function partition({ proxies, store, random }: FaultContext): Promise<void> {
  const replicas = store.members.filter((m) => m.kind === "named");
  const at = replicas.findIndex((m) => m.leading?.() === true);
  const old = replicas[at];
  if (old === undefined || proxies.length < 2) return;
  // At least half the clients stay with the old leader, and at least one goes to the new one.
  const n = proxies.length;
  const oldSide = pickSome(random, n, random.int(Math.ceil(n / 2), n - 1));
  proxies.forEach((row, c) =>
    row.forEach((p, a) => {
      if (oldSide.has(c) !== (a === at)) p.down();
    }),
  );
  store.isolate?.(old, true);
  old.signal("SIGSTOP");
  progress(`${old.name} paused and cut off etcd; clients ${[...oldSide].join(",")} reach only it`);
  try {
    await store.otherLeader?.(old, ELECTION_MS);
    progress("another replica leads");
    await sleep(random.int(...NEW_SIDE_MS));
  } finally {
    old.signal("SIGCONT");
  }
  progress(`${old.name} continued`);
  await sleep(random.int(...OLD_SIDE_MS));
  store.isolate?.(old, false);
  for (const p of proxies.flat()) p.up();
  progress("healed");
}

/** `k` distinct client indices of `n`. */
function pickSome(random: Random, n: number, k: number): Set<number> {
  const left = Array.from({ length: n }, (_, i) => i);
  const picked = new Set<number>();
  while (picked.size < k) picked.add(left.splice(random.int(0, left.length - 1), 1)[0]!);
  return picked;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** On stderr, stamped with the history's clock (µs), to find the partition in history.json. */
function progress(text: string): void {
  process.stderr.write(`chaos: partition: ${text} (t=${Math.floor(performance.now() * 1000)})\n`);
}
