import { describe, expect, it } from "vitest";
import { checkHistory } from "../../verify/lincheck/index.js";
import { append, create, get, history, put, remove } from "./history-builder.js";

describe("histories that are not linearizable", () => {
  it("a stale read after an acknowledged put, window: the put and the read", () => {
    const r = checkHistory(history(put(0, 0, 1, "a"), put(0, 2, 3, "b"), get(1, 4, 5, "a")));
    expect(r.ok).toBe(false);
    expect(r.violations).toEqual([{ path: "x", ops: [1, 2], longest: [1] }]);
  });

  it("a lost acknowledged append", () => {
    const r = checkHistory(history(put(0, 0, 1, "x"), append(1, 2, 3, "y"), get(2, 4, 5, "x")));
    expect(r.violations.map((v) => v.ops)).toEqual([[1, 2]]);
  });

  it("an append applied twice", () => {
    const r = checkHistory(history(append(0, 0, 1, "a"), get(1, 2, 3, "aa")));
    expect(r.violations.map((v) => v.ops)).toEqual([[0, 1]]);
  });

  it("a read of a value never written", () => {
    expect(checkHistory(history(get(0, 0, 1, "z"))).violations.map((v) => v.ops)).toEqual([[0]]);
    const r = checkHistory(history(put(0, 0, 1, "a"), get(1, 0, 2, "z")));
    expect(r.violations.map((v) => v.ops)).toEqual([[0, 1]]);
  });

  it("two exclusive creates both ok", () => {
    const r = checkHistory(history(create(0, 0, 10, "a", "ok"), create(1, 1, 11, "b", "ok")));
    expect(r.violations.map((v) => v.ops)).toEqual([[0, 1]]);
  });

  it("a read that goes back in time, window from the last quiet point", () => {
    const r = checkHistory(
      history(put(0, 0, 1, "a"), put(0, 2, 10, "b"), get(1, 3, 4, "b"), get(2, 5, 6, "a")),
    );
    expect(r.violations.map((v) => v.ops)).toEqual([[1, 2, 3]]);
  });

  it("a remove that found nothing after an acknowledged create", () => {
    const r = checkHistory(history(create(0, 0, 1, "a", "ok"), remove(1, 2, 3, "notfound")));
    expect(r.ok).toBe(false);
  });

  it("reports only the bad path, and ops of other paths are not in its window", () => {
    const r = checkHistory(
      history(
        put(0, 0, 1, "a", "y"),
        put(0, 2, 3, "a"),
        get(1, 4, 5, "a", "y"),
        get(1, 6, 7, null),
      ),
    );
    expect(r).toMatchObject({ ok: false, paths: 2, ops: 4 });
    expect(r.violations.map((v) => [v.path, v.ops])).toEqual([["x", [1, 3]]]);
  });

  it("the window ends at the first op that cannot be ordered, not at the history's end", () => {
    const ops = [put(0, 0, 1, "a"), get(1, 2, 3, "b")];
    for (let i = 0; i < 20; i++) ops.push(put(0, 10 + 2 * i, 11 + 2 * i, `v${i}`));
    const r = checkHistory(history(...ops));
    expect(r.violations.map((v) => v.ops)).toEqual([[0, 1]]);
  });
});

describe("tricky histories that are linearizable", () => {
  it("concurrent puts ordered either way", () => {
    for (const seen of ["a", "b"]) {
      expect(
        checkHistory(history(put(0, 0, 10, "a"), put(1, 1, 9, "b"), get(2, 11, 12, seen))).ok,
      ).toBe(true);
    }
  });

  it("a read sees a put before the put returns", () => {
    expect(checkHistory(history(put(0, 0, 10, "a"), get(1, 1, 2, "a"), get(1, 3, 4, "a"))).ok).toBe(
      true,
    );
  });

  it("an unknown append that took effect late", () => {
    const h = history(
      put(0, 0, 1, "x"),
      append(1, 2, null, "y"),
      get(2, 3, 4, "x"),
      get(2, 100, 101, "xy"),
    );
    expect(checkHistory(h)).toMatchObject({ ok: true, unknown: 1 });
  });

  it("an unknown put that never took effect", () => {
    const h = history(
      put(0, 0, 1, "x"),
      put(1, 2, null, "y"),
      get(2, 3, 4, "x"),
      get(2, 50, 51, "x"),
    );
    expect(checkHistory(h).ok).toBe(true);
  });

  it("an unknown create observed by a later exclusive create", () => {
    const h = history(create(0, 0, null, "a"), create(1, 5, 6, "b", "exists"), get(1, 7, 8, "a"));
    expect(checkHistory(h).ok).toBe(true);
  });

  it("ops that touch (one returns when the next is called) count as concurrent", () => {
    expect(checkHistory(history(put(0, 0, 5, "a"), get(1, 5, 6, null))).ok).toBe(true);
  });

  it("remove, create and get on an absent file", () => {
    const h = history(
      get(0, 0, 1, null),
      remove(0, 2, 3, "notfound"),
      create(0, 4, 5, "a", "ok"),
      create(1, 6, 7, "b", "exists"),
      remove(1, 8, 9, "ok"),
      get(0, 10, 11, null),
      append(0, 12, 13, "c"),
      get(1, 14, 15, "c"),
    );
    expect(checkHistory(h).ok).toBe(true);
  });

  it("an empty history", () => {
    expect(checkHistory(history())).toEqual({
      ok: true,
      paths: 0,
      ops: 0,
      unknown: 0,
      violations: [],
    });
  });
});
