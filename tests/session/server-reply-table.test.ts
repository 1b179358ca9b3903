import { describe, expect, it } from "vitest";
import { AckedSeqnos } from "../../runtime/session/server/acked-seqnos.js";
import {
  ENTRY_OVERHEAD_BYTES,
  ReplyBudget,
  ReplyTable,
} from "../../runtime/session/server/reply-table.js";
import { NO_DATA, type RawReply } from "../../runtime/contract/index.js";

const reply = (n: number): RawReply => ({ type: 119, body: [n], data: NO_DATA });
const CLOSED: RawReply = { type: 128, body: [37, "s", "session closed"], data: NO_DATA };
const table = (max: number, maxBytes = 1 << 30, budget = new ReplyBudget(1 << 30)): ReplyTable =>
  new ReplyTable(max, maxBytes, budget);

function filled(seqnos: bigint[]): ReplyTable {
  const t = table(100);
  for (const s of seqnos) t.put(t.register(s)!, reply(Number(s)), 10);
  return t;
}

describe("reply table", () => {
  it("acks a narrow interval seqno by seqno and a wide one by scanning", () => {
    const t = filled([1n, 2n, 3n, 1000n, 2000n]);
    t.ack(1n, 3n);
    expect([t.get(1n), t.get(2n)]).toEqual([undefined, undefined]);
    t.ack(500n, 0xffff_ffff_ffff_ffffn);
    expect(t.size).toBe(1);
    expect(t.get(3n)?.reply).toEqual(reply(3));
  });

  it("keeps a running entry even when acked, so a resend cannot run it twice", () => {
    const t = table(10);
    const e = t.register(5n)!;
    t.ack(0n, 10n);
    expect(t.get(5n)).toBe(e);
    // Everything acked but the running seqno is remembered; the running one is not.
    expect([t.wasAcked(4n), t.wasAcked(5n), t.wasAcked(6n)]).toEqual([true, false, true]);
  });

  it("refuses registrations beyond its bound", () => {
    const t = table(1);
    expect(t.register(1n)).not.toBeNull();
    expect(t.register(2n)).toBeNull();
    expect(t.refusal()).toMatch(/maxReplyTable \(1\)/);
  });

  it("charges stored replies against the session's and the server's byte budgets", () => {
    const budget = new ReplyBudget(10_000);
    const a = table(100, 2 * (1000 + ENTRY_OVERHEAD_BYTES), budget);
    const b = table(100, 1 << 30, budget);
    a.put(a.register(1n)!, reply(1), 1000);
    expect(a.refusal()).toBeNull();
    a.put(a.register(2n)!, reply(2), 1000);
    expect(a.bytes).toBe(2 * (1000 + ENTRY_OVERHEAD_BYTES));
    expect(a.register(3n)).toBeNull();
    expect(a.refusal()).toMatch(/maxReplyBytesPerSession/);
    b.put(b.register(1n)!, reply(1), 8000);
    expect(b.refusal()).toMatch(/maxReplyBytes \(10000\)/);
    a.ack(1n, 3n);
    expect(a.bytes).toBe(0);
    expect(b.refusal()).toBeNull();
    b.close(CLOSED);
    expect(budget.bytes).toBe(0);
  });

  it("fails pending entries with the closing reply and refuses later puts", () => {
    const t = table(10);
    const pending = t.register(1n)!;
    pending.resend = { seqno: 1n } as never;
    const done = t.register(2n)!;
    t.put(done, reply(2), 10);
    t.close(CLOSED);
    expect(pending.reply).toBe(CLOSED);
    expect(pending.resend).toBeNull();
    expect(done.reply).toEqual(reply(2));
    expect(t.put(pending, reply(1), 10)).toBeNull();
    expect(pending.reply).toBe(CLOSED);
    expect(t.register(3n)).toBeNull();
  });
});

describe("acked seqnos", () => {
  it("raises the floor over contiguous acks and joins runs once a gap closes", () => {
    const a = new AckedSeqnos();
    a.add(1, 5);
    expect(a.floor).toBe(4);
    a.add(6, 10);
    expect([a.floor, a.has(5), a.has(7), a.has(10)]).toEqual([4, false, true, false]);
    a.add(5, 6);
    expect(a.floor).toBe(9);
    a.add(2, 3);
    expect(a.floor).toBe(9);
  });

  it("stays bounded when acks come in many fragments, forgetting only the highest", () => {
    const a = new AckedSeqnos();
    for (let s = 2; s < 10_000; s += 2) a.add(s, s + 1);
    expect(a.has(2)).toBe(true);
    expect(a.has(3)).toBe(false);
    expect(a.has(9_998)).toBe(false);
  });
});
