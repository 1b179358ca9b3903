import { describe, expect, it } from "vitest";
import { getfileFrameSizes } from "../../bench/suites/named/getfile-frames.js";

describe("getfile frame sizes for the TCP baseline", () => {
  it("grow with the path in the request and with the file in the reply", () => {
    const small = getfileFrameSizes(["tmp", "f"], 100);
    expect(getfileFrameSizes(["tmp", "ff"], 100).requestFrame).toBe(small.requestFrame + 1);
    expect(getfileFrameSizes(["tmp", "f"], 200).replyFrame).toBe(small.replyFrame + 100);
    expect(small.replyFrame).toBeGreaterThan(100 + 4);
  });
});
