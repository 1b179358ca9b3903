import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compareNames, SortedNames } from "../../runtime/fs/index.js";

describe("sorted names", () => {
  it("agrees with a sorted array under any mix of inserts, deletes and resumed listings", () => {
    const name = fc.string({ unit: "binary", maxLength: 4 });
    const op = fc.oneof(
      fc.record({ kind: fc.constant("insert" as const), name }),
      fc.record({ kind: fc.constant("delete" as const), name }),
      fc.record({
        kind: fc.constant("after" as const),
        name: fc.option(name, { nil: undefined }),
        limit: fc.integer({ min: 0, max: 5 }),
      }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
        const names = new SortedNames();
        const model: string[] = [];
        for (const o of ops) {
          if (o.kind === "insert") {
            names.insert(o.name);
            if (!model.includes(o.name)) model.push(o.name);
            model.sort(compareNames);
          } else if (o.kind === "delete") {
            names.delete(o.name);
            const i = model.indexOf(o.name);
            if (i >= 0) model.splice(i, 1);
          } else {
            const after = o.name;
            const want = model
              .filter((n) => after === undefined || compareNames(n, after) > 0)
              .slice(0, o.limit);
            expect(names.after(after, o.limit)).toEqual(want);
          }
          expect(names.size).toBe(model.length);
        }
      }),
    );
  });

  it("pages through 100,000 names while the front is deleted", () => {
    const names = new SortedNames();
    const n = 100_000;
    for (let i = 0; i < n; i++) names.insert(`f${i}`);
    for (let i = 0; i < n / 2; i++) names.delete(`f${i}`);
    let after: string | undefined;
    let seen = 0;
    for (;;) {
      const page = names.after(after, 128);
      if (page.length === 0) break;
      seen += page.length;
      after = page[page.length - 1];
    }
    expect(seen).toBe(n / 2);
    expect(names.size).toBe(n / 2);
  });
});
