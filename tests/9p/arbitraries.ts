/**
 * fast-check arbitraries for 9P messages, derived from the message table itself, so that every
 * row is covered without a hand-written generator per message.
 */
import fc from "fast-check";
import type { AnyMsg, MsgName, Qid } from "../../servers/9p/codec.js";
import { type Field, MESSAGES, type WireType } from "../../servers/9p/messages.js";

const qid: fc.Arbitrary<Qid> = fc.record({
  type: fc.integer({ min: 0, max: 255 }),
  version: fc.integer({ min: 0, max: 0xffffffff }),
  path: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
});

const str = fc.string({ unit: "grapheme", maxLength: 20 });

function valueOf(t: WireType): fc.Arbitrary<unknown> {
  switch (t) {
    case "u8":
      return fc.integer({ min: 0, max: 0xff });
    case "u16":
      return fc.integer({ min: 0, max: 0xffff });
    case "u32":
      return fc.integer({ min: 0, max: 0xffffffff });
    case "u64":
      return fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
    case "str":
      return str;
    case "qid":
      return qid;
    case "data":
      return fc.uint8Array({ maxLength: 300 });
    case "strs":
      return fc.array(str, { maxLength: 20 });
    case "qids":
      return fc.array(qid, { maxLength: 20 });
  }
}

/** Any message of the table, with a tag. */
export function anyMessage(names?: readonly MsgName[]): fc.Arbitrary<AnyMsg> {
  const all = names ?? (Object.keys(MESSAGES) as MsgName[]);
  return fc.constantFrom(...all).chain((name) => {
    const fields: readonly Field[] = MESSAGES[name].fields;
    const shape: Record<string, fc.Arbitrary<unknown>> = {
      type: fc.constant(name),
      tag: fc.integer({ min: 0, max: 0xffff }),
    };
    for (const [f, t] of fields) shape[f] = valueOf(t);
    return fc.record(shape) as unknown as fc.Arbitrary<AnyMsg>;
  });
}

/** Request names (T…). */
export const REQUESTS = (Object.keys(MESSAGES) as MsgName[]).filter((n) => n.startsWith("T"));
