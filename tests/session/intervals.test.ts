import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Tinterval } from "../../generated/sigmap/types.js";
import {
  AckIntervals,
  EMPTY_INTERVAL,
  IntervalSet,
  type Span,
} from "../../runtime/session/shared/intervals.js";

const LIMIT = 64;

// The canonical form of a set of seqnos: sorted, disjoint, non-touching half-open intervals.
function canonical(seqnos: ReadonlySet<number>): Span[] {
  const out: Span[] = [];
  for (const s of [...seqnos].sort((a, b) => a - b)) {
    const last = out[out.length - 1];
    if (last !== undefined && last.end === s) last.end = s + 1;
    else out.push({ start: s, end: s + 1 });
  }
  return out;
}

function seqnosOf(iv: Tinterval): number[] {
  const out: number[] = [];
  for (let s = iv.start; s < iv.end; s++) out.push(Number(s));
  return out;
}

function set(...ranges: [number, number][]): IntervalSet {
  const s = new IntervalSet();
  for (const [a, b] of ranges) s.insert(a, b);
  return s;
}

const span = (start: number, end: number): Span => ({ start, end });

// An interval as it goes on the wire.
const iv = (start: number, end: number): Tinterval => ({ start: BigInt(start), end: BigInt(end) });

const range = fc
  .tuple(fc.integer({ min: 0, max: LIMIT }), fc.integer({ min: 0, max: 8 }))
  .map(([a, len]): [number, number] => [a, a + len]);

const setOp = fc.oneof(
  range.map((r) => ({ kind: "insert" as const, r })),
  range.map((r) => ({ kind: "delete" as const, r })),
);

describe("IntervalSet", () => {
  it("merges adjacent and overlapping intervals", () => {
    expect(set([0, 10], [10, 20]).toArray()).toEqual([span(0, 20)]);
    expect(set([5, 8], [0, 3], [3, 5]).toArray()).toEqual([span(0, 8)]);
    expect(set([0, 2], [4, 6], [8, 10], [1, 9]).toArray()).toEqual([span(0, 10)]);
    expect(set([0, 2], [4, 6]).toArray()).toEqual([span(0, 2), span(4, 6)]);
  });

  it("splits an interval when deleting from its middle", () => {
    const s = set([0, 20]);
    s.delete(5, 7);
    expect(s.toArray()).toEqual([span(0, 5), span(7, 20)]);
    s.delete(0, 5);
    expect(s.toArray()).toEqual([span(7, 20)]);
    s.delete(15, 30);
    expect(s.toArray()).toEqual([span(7, 15)]);
  });

  it("ignores empty intervals", () => {
    const s = set([3, 3]);
    expect(s.isEmpty()).toBe(true);
    s.insert(1, 4);
    s.delete(2, 2);
    expect(s.toArray()).toEqual([span(1, 4)]);
  });

  it("hands out its lowest interval and forgets it", () => {
    const s = set([4, 6], [0, 2]);
    expect(s.takeLowest()).toEqual(span(0, 2));
    expect(s.toArray()).toEqual([span(4, 6)]);
  });

  it("never changes an interval it handed out", () => {
    const s = set([0, 2]);
    const taken = s.takeLowest()!;
    s.insert(2, 5);
    s.insert(0, 1);
    expect(taken).toEqual(span(0, 2));
  });

  it("agrees with a set of seqnos under any inserts and deletes", () => {
    fc.assert(
      fc.property(fc.array(setOp, { maxLength: 60 }), (ops) => {
        const s = new IntervalSet();
        const model = new Set<number>();
        for (const { kind, r } of ops) {
          const [a, b] = r;
          if (kind === "insert") {
            s.insert(a, b);
            for (let x = a; x < b; x++) model.add(x);
          } else {
            s.delete(a, b);
            for (let x = a; x < b; x++) model.delete(x);
          }
          expect(s.toArray()).toEqual(canonical(model));
        }
        for (let x = 0; x < LIMIT + 8; x++) expect(s.contains(x)).toBe(model.has(x));
        const copy = s.clone();
        copy.insert(0, LIMIT + 8);
        expect(s.toArray()).toEqual(canonical(model));
      }),
      { numRuns: 500 },
    );
  });
});

type AckOp = { kind: "reply"; echo: [number, number] } | { kind: "take" } | { kind: "reset" };

const ackOp: fc.Arbitrary<AckOp> = fc.oneof(
  { weight: 4, arbitrary: range.map((echo) => ({ kind: "reply" as const, echo })) },
  { weight: 3, arbitrary: fc.constant({ kind: "take" as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: "reset" as const }) },
);

describe("AckIntervals", () => {
  it("acks a reply, then forgets the ack the server echoed", () => {
    const acks = new AckIntervals();
    acks.onReply(1, EMPTY_INTERVAL);
    acks.onReply(2, EMPTY_INTERVAL);
    expect(acks.take()).toEqual(iv(1, 3));
    expect(acks.take()).toEqual(EMPTY_INTERVAL);
    acks.onReply(3, iv(1, 3));
    expect(acks.acked.toArray()).toEqual([span(3, 4)]);
    expect(acks.take()).toEqual(iv(3, 4));
  });

  it("offers unconfirmed acks again after a reset", () => {
    const acks = new AckIntervals();
    acks.onReply(1, EMPTY_INTERVAL);
    acks.onReply(2, EMPTY_INTERVAL);
    expect(acks.take()).toEqual(iv(1, 3));
    acks.onReply(4, EMPTY_INTERVAL);
    acks.reset();
    expect(acks.take()).toEqual(iv(1, 3));
    expect(acks.take()).toEqual(iv(4, 5));
  });

  it("never hands out a seqno twice until a reset, and only seqnos it was given", () => {
    fc.assert(
      fc.property(fc.array(ackOp, { maxLength: 80 }), (ops) => {
        const acks = new AckIntervals();
        const acked = new Set<number>();
        let handedOut = new Set<number>();
        let seqno = 0;
        for (const op of ops) {
          if (op.kind === "reply") {
            // Each seqno is answered once; the echo is any earlier-sent interval.
            seqno++;
            acks.onReply(seqno, iv(op.echo[0], op.echo[1]));
            acked.add(seqno);
            for (let x = op.echo[0]; x < op.echo[1]; x++) acked.delete(x);
          } else if (op.kind === "take") {
            const taken = acks.take();
            for (const s of seqnosOf(taken)) {
              expect(handedOut.has(s)).toBe(false);
              expect(acked.has(s)).toBe(true);
              handedOut.add(s);
            }
          } else {
            acks.reset();
            handedOut = new Set();
            expect(acks.next.toArray()).toEqual(acks.acked.toArray());
          }
          expect(acks.acked.toArray()).toEqual(canonical(acked));
        }
      }),
      { numRuns: 500 },
    );
  });
});
