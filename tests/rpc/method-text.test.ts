import { describe, expect, it } from "vitest";
import { ErrCode } from "../../generated/sigmap/types.js";
import { isErr } from "../../runtime/errors/index.js";
import { decodeRequest, encodeRequest } from "../../runtime/rpc/shared/envelope.js";
import { methodText } from "../../runtime/rpc/shared/method-text.js";

const utf8 = new TextEncoder();

describe("method names", () => {
  it("decodes a name again after the bytes it was first read from change", () => {
    const bytes = utf8.encode("Echo.Echo");
    expect(methodText(bytes)).toBe("Echo.Echo");
    bytes[0] = "F".charCodeAt(0);
    expect(methodText(bytes)).toBe("Fcho.Echo");
    expect(methodText(utf8.encode("Echo.Echo"))).toBe("Echo.Echo");
  });

  it("tells apart names of one length and names that prefix others", () => {
    for (const name of ["A.B", "A.C", "A.BC", "", "Ünï.cødé"]) {
      expect(methodText(utf8.encode(name))).toBe(name);
    }
  });

  it("keeps decoding past the names it remembers", () => {
    for (let i = 0; i < 100; i++) expect(methodText(utf8.encode(`S.M${i}`))).toBe(`S.M${i}`);
  });

  it("still refuses a name that is not UTF-8 as BadFcall", () => {
    const req = encodeRequest("ab", []);
    req[2] = 0xff;
    expect(() => decodeRequest(req)).toThrow();
    try {
      decodeRequest(req);
    } catch (e) {
      expect(isErr(e, ErrCode.BadFcall)).toBe(true);
    }
  });
});
