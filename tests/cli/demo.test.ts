import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runWalkthroughDemo } from "../../servers/demo/walkthrough.js";
import { startNamed, type Named } from "../../servers/named/index.js";

let named: Named;
beforeAll(async () => {
  named = await startNamed();
});
afterAll(() => named.close());

describe("the walkthrough demo (npm start)", () => {
  it("runs Exercise 1, fires a watch and removes an ephemeral file with its session", async () => {
    const lines: string[] = [];
    await runWalkthroughDemo(named.addr, (l) => lines.push(l));
    expect(lines).toContain("alice: ls name/tmp/walkthrough -> hello.txt, notes.txt");
    expect(lines).toContain(
      'alice: getFile name/tmp/walkthrough/hello.txt -> "Hello, SigmaOS!\\n"',
    );
    expect(lines).toContain("bob: the watch fired: name/tmp/walkthrough changed");
    expect(lines).toContain(
      "alice: ls name/tmp/walkthrough -> carol-was-here, hello.txt, news.txt, notes.txt",
    );
    expect(lines.at(-1)).toBe(
      "alice: name/tmp/walkthrough/carol-was-here is gone; ls name/tmp/walkthrough -> hello.txt, news.txt, notes.txt",
    );
  });
});
