/**
 * Wing & Gong's search with Lowe's memoisation, as porcupine runs it: walk the ops' call and
 * return events in time order; at a call, try to linearize that op now (the model accepts its
 * output) unless the pair (set of linearized ops, state) was already explored; at a return whose
 * op is not yet linearized, undo the last choice. An op with an unknown outcome has no return
 * event, so it may take effect at any point after its call or never.
 */
import type { Op } from "./history.js";
import { successors, Unknown, type State } from "./model.js";

export interface SearchResult {
  /** null: gave up after `budget` steps. */
  ok: boolean | null;
  /** The longest order of ops found that the model accepts (history indices). */
  longest: number[];
  steps: number;
}

export interface SearchOptions {
  init?: State;
  /** Stop after this many steps (undefined: no limit). */
  budget?: number;
}

interface Entry {
  /** Position of the op in the searched array. */
  id: number;
  op: Op;
  isCall: boolean;
  match: Entry | null;
  prev: Entry | null;
  next: Entry | null;
}

interface Frame {
  entry: Entry;
  before: State;
  choices: readonly State[];
  choice: number;
}

/** Whether `ops` (all on one path) can be linearized from `init` (default: no file). */
export function searchPath(ops: readonly Op[], opts: SearchOptions = {}): SearchResult {
  const head = buildEntries(ops);
  const n = ops.length;
  const bits = new Uint32Array((n + 31) >>> 5);
  const zobrist = zobristKeys(n);
  const cache = new Map<number, { bits: Uint32Array; state: number }[]>();
  const ids = new StateIds();
  const stack: Frame[] = [];
  let longest: number[] = [];
  let hash = 0;
  let state: State = opts.init === undefined ? null : opts.init;
  let pendingKnown = ops.reduce((k, o) => k + (o.ret === null ? 0 : 1), 0);
  let steps = 0;
  const budget = opts.budget ?? Infinity;
  const unseen = unseenWrites(ops);

  /** Linearizes `e` with successor `choice` if that (set, state) is new. */
  const tryChoice = (e: Entry, choices: readonly State[], from: number): boolean => {
    for (let k = from; k < choices.length; k++) {
      const next = choices[k] as State;
      const sid = ids.of(next);
      // An unknown op that changes nothing need never be placed: it has no return to unblock.
      if (
        e.op.ret === null &&
        (sid === ids.of(state) || (unseen[e.id] === 1 && typeof state === "string"))
      ) {
        continue;
      }
      const h = hash ^ (zobrist[e.id] as number);
      bits[e.id >>> 5] = (bits[e.id >>> 5] as number) | (1 << (e.id & 31));
      if (remember(cache, (h ^ Math.imul(sid + 1, 0x9e3779b1)) >>> 0, bits, sid)) {
        hash = h;
        stack.push({ entry: e, before: state, choices, choice: k });
        state = next;
        lift(e);
        if (e.op.ret !== null) pendingKnown--;
        if (stack.length > longest.length) longest = stack.map((f) => f.entry.op.index);
        return true;
      }
      bits[e.id >>> 5] = (bits[e.id >>> 5] as number) & ~(1 << (e.id & 31));
    }
    return false;
  };

  // The ops that may go next are the calls before the first return in the list. Known ones are
  // tried first (pass 1), unknown ones only when no known one fits (pass 2): an unknown op tried
  // eagerly is usually wrong (it took effect later, or never) and costs a long undo.
  let entry = head.next;
  let unknownPass = false;
  while (pendingKnown > 0) {
    if (++steps > budget) return { ok: null, longest, steps };
    if (entry !== null && entry.isCall) {
      if (
        (entry.op.ret === null) === unknownPass &&
        tryChoice(entry, successors(state, entry.op), 0)
      ) {
        entry = head.next;
        unknownPass = false;
      } else {
        entry = entry.next;
      }
      continue;
    }
    if (!unknownPass) {
      unknownPass = true;
      entry = head.next;
      continue;
    }
    // No candidate fits: undo the last choice, try its next successor, else the candidates after it.
    const top = stack.pop();
    if (top === undefined) return { ok: false, longest, steps };
    const e = top.entry;
    state = top.before;
    hash ^= zobrist[e.id] as number;
    bits[e.id >>> 5] = (bits[e.id >>> 5] as number) & ~(1 << (e.id & 31));
    unlift(e);
    if (e.op.ret !== null) pendingKnown++;
    if (tryChoice(e, top.choices, top.choice + 1)) {
      entry = head.next;
      unknownPass = false;
    } else {
      entry = e.next;
      unknownPass = e.op.ret === null;
    }
  }
  return { ok: true, longest, steps };
}

/**
 * 1 for each unknown put, append or create whose value no get ever returned. Placed while the
 * file exists, such a write can only matter to a get that would show its value (until the next
 * put or remove replaces it), so it need not be placed then: only on an absent file, where it
 * may explain a later "exists" or "ok" of remove.
 */
function unseenWrites(ops: readonly Op[]): Uint8Array {
  const unseen = new Uint8Array(ops.length);
  const outputs = ops.flatMap((o) =>
    o.op === "get" && typeof o.output === "string" ? [o.output] : [],
  );
  ops.forEach((o, i) => {
    if (o.ret !== null || o.value === null) return;
    const v = o.value;
    if (v !== "" && !outputs.some((out) => out.includes(v))) unseen[i] = 1;
  });
  return unseen;
}

/** Events sorted by time; at equal times calls come first, so touching ops count as concurrent. */
function buildEntries(ops: readonly Op[]): Entry {
  type Ev = { t: number; call: boolean; entry: Entry };
  const evs: Ev[] = [];
  ops.forEach((op, id) => {
    const c: Entry = { id, op, isCall: true, match: null, prev: null, next: null };
    evs.push({ t: op.call, call: true, entry: c });
    if (op.ret !== null) {
      const r: Entry = { id, op, isCall: false, match: null, prev: null, next: null };
      c.match = r;
      evs.push({ t: op.ret, call: false, entry: r });
    }
  });
  evs.sort((a, b) => a.t - b.t || (a.call === b.call ? 0 : a.call ? -1 : 1));
  const head: Entry = {
    id: -1,
    op: ops[0] as Op,
    isCall: false,
    match: null,
    prev: null,
    next: null,
  };
  let last = head;
  for (const ev of evs) {
    ev.entry.prev = last;
    last.next = ev.entry;
    last = ev.entry;
  }
  return head;
}

/** Takes a call (and its return) out of the list. */
function lift(call: Entry): void {
  unlink(call);
  if (call.match !== null) unlink(call.match);
}

/** Puts them back, in the reverse order of lift. */
function unlift(call: Entry): void {
  if (call.match !== null) relink(call.match);
  relink(call);
}

function unlink(e: Entry): void {
  (e.prev as Entry).next = e.next;
  if (e.next !== null) e.next.prev = e.prev;
}

function relink(e: Entry): void {
  (e.prev as Entry).next = e;
  if (e.next !== null) e.next.prev = e;
}

/** Adds (bits, state) to the cache; false when it was there already. */
function remember(
  cache: Map<number, { bits: Uint32Array; state: number }[]>,
  key: number,
  bits: Uint32Array,
  state: number,
): boolean {
  const bucket = cache.get(key);
  if (bucket === undefined) {
    cache.set(key, [{ bits: bits.slice(), state }]);
    return true;
  }
  for (const seen of bucket) {
    if (seen.state === state && sameBits(seen.bits, bits)) return false;
  }
  bucket.push({ bits: bits.slice(), state });
  return true;
}

function sameBits(a: Uint32Array, b: Uint32Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Random 32-bit keys per op (fixed seed: runs are reproducible), XORed into the set's hash. */
function zobristKeys(n: number): Uint32Array {
  const keys = new Uint32Array(n);
  let x = 0x2545f491;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    keys[i] = x >>> 0;
  }
  return keys;
}

/** Small integers for states, so the cache compares numbers, not contents. */
class StateIds {
  readonly #exact = new Map<string, number>();
  readonly #unknown = new Map<string, number>();
  #next = 1;

  of(s: State): number {
    if (s === null) return 0;
    const [map, key] =
      s instanceof Unknown ? [this.#unknown, `${s.absentOk ? 1 : 0}${s.suffix}`] : [this.#exact, s];
    let id = map.get(key);
    if (id === undefined) {
      id = this.#next++;
      map.set(key, id);
    }
    return id;
  }
}
