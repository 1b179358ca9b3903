import { describe, expect, it } from "vitest";
import { ReplyTable } from "../../runtime/session/reply-table.js";
import { NO_DATA, type RawReply } from "../../runtime/wire/index.js";

const reply = (n: number): RawReply => ({ type: 119, body: [n], data: NO_DATA });
const CLOSED: RawReply = { type: 128, body: [37, "s", "session closed"], data: NO_DATA };

function filled(seqnos: bigint[]): ReplyTable {
  const t = new ReplyTable(100);
  for (const s of seqnos) t.put(t.register(s)!, reply(Number(s)));
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
    const t = new ReplyTable(10);
    const e = t.register(5n)!;
    t.ack(0n, 10n);
    expect(t.get(5n)).toBe(e);
  });

  it("refuses registrations beyond its bound", () => {
    const t = new ReplyTable(1);
    expect(t.register(1n)).not.toBeNull();
    expect(t.register(2n)).toBeNull();
  });

  it("fails pending entries with the closing reply and refuses later puts", () => {
    const t = new ReplyTable(10);
    const pending = t.register(1n)!;
    pending.resend = { seqno: 1n } as never;
    const done = t.register(2n)!;
    t.put(done, reply(2));
    t.close(CLOSED);
    expect(pending.reply).toBe(CLOSED);
    expect(pending.resend).toBeNull();
    expect(done.reply).toEqual(reply(2));
    expect(t.put(pending, reply(1))).toBeNull();
    expect(pending.reply).toBe(CLOSED);
    expect(t.register(3n)).toBeNull();
  });
});
