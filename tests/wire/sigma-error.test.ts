import { describe, expect, it } from "vitest";
import {
  describeErrorCode,
  errorText,
  isErr,
  isSigmaError,
  registerErrorCodes,
  SigmaError,
} from "../../runtime/errors/index.js";

registerErrorCodes([{ code: 13, name: "Notfound", description: "not found", retry: "final" }]);

describe("SigmaError", () => {
  it("prints its description and object", () => {
    expect(new SigmaError(13, "name/a/b").message).toBe("not found: name/a/b");
    expect(new SigmaError(13).message).toBe("not found");
    expect(new SigmaError(13, "x", "custom").message).toBe("custom");
  });

  it("describes unregistered codes by number", () => {
    expect(describeErrorCode(999)).toBe("error 999");
    expect(new SigmaError(999, "o").message).toBe("error 999: o");
  });

  it("is recognised by guards, including a structurally equal copy", () => {
    const e = new SigmaError(13, "a", undefined, { cause: "why" });
    expect(isSigmaError(e)).toBe(true);
    expect(isErr(e, 13)).toBe(true);
    expect(isErr(e, 14)).toBe(false);
    expect(e.cause).toBe("why");
    const foreign = Object.assign(new Error("x"), { name: "SigmaError", code: 1, obj: "" });
    expect(isSigmaError(foreign)).toBe(true);
    expect(isSigmaError(new Error("x"))).toBe(false);
  });

  it("gets text from anything thrown", () => {
    expect(errorText(new Error("boom"))).toBe("boom");
    expect(errorText(42)).toBe("42");
    expect(
      errorText({
        toString: () => {
          throw new Error("no");
        },
      }),
    ).toBe("unprintable error");
  });
});
