import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sigmaIn } from "../cli/run-cli.js";
import { get, put, type RawOp } from "./history-builder.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "lincheck-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function file(name: string, body: unknown): Promise<string> {
  const f = path.join(dir, name);
  await writeFile(f, typeof body === "string" ? body : JSON.stringify(body));
  return f;
}

const history = (...ops: unknown[]) => ({ model: "files", ops });

describe("sigma lincheck", () => {
  it("exits 0 on the issue's example and says so", async () => {
    const f = await file("example.json", {
      model: "files",
      ops: [
        {
          client: 0,
          call: 1000,
          return: 1500,
          path: "name/x",
          op: "put",
          value: "a",
          output: "ok",
        },
        { client: 1, call: 1200, return: 1300, path: "name/x", op: "get", output: "a" },
        { client: 2, call: 1250, return: null, path: "name/y", op: "append", value: "b" },
      ],
    });
    const r = await sigmaIn(["lincheck", f]);
    expect(r).toEqual({
      code: 0,
      stdout: "lincheck: linearizable: 3 ops (1 unknown) over 2 paths\n",
      stderr: "",
    });
  });

  it("exits 1 and prints the path and the window", async () => {
    const f = await file(
      "stale.json",
      history(put(0, 0, 1, "a"), put(0, 2, 3, "b"), get(1, 4, 5, "a")),
    );
    const r = await sigmaIn(["lincheck", f]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(
      [
        "lincheck: NOT linearizable: 1 of 1 path (3 ops, 0 unknown)",
        "path x: these 2 ops cannot be ordered:",
        '  #1 client 0 [2, 3] put "b" -> "ok"',
        '  #2 client 1 [4, 5] get -> "a"',
        "",
      ].join("\n"),
    );
  });

  it("--json prints exactly { ok, paths, ops, violations }", async () => {
    const ops: RawOp[] = [
      put(0, 0, 1, "a"),
      put(0, 2, 3, "b"),
      get(1, 4, 5, "a"),
      get(1, 0, 1, null, "y"),
    ];
    const r = await sigmaIn(["lincheck", await file("j.json", history(...ops)), "--json"]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual({
      ok: false,
      paths: 2,
      ops: 4,
      violations: [{ path: "x", ops: [1, 2] }],
    });
    const ok = await sigmaIn([
      "lincheck",
      await file("k.json", history(put(0, 0, 1, "a"))),
      "--json",
    ]);
    expect({ code: ok.code, out: JSON.parse(ok.stdout) }).toEqual({
      code: 0,
      out: { ok: true, paths: 1, ops: 1, violations: [] },
    });
  });

  it("--html writes a self-contained timeline of the failing path", async () => {
    const out = path.join(dir, "t.html");
    const f = await file(
      "h.json",
      history(put(0, 0, 1, "a<b"), put(0, 2, 3, "b"), get(1, 4, 5, "a<b")),
    );
    expect((await sigmaIn(["lincheck", f, "--html", out])).code).toBe(1);
    const html = await readFile(out, "utf8");
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain("<h2>path x</h2>");
    expect(html).toContain("<svg");
    expect(html).toContain("a&lt;b");
    expect(html).not.toMatch(/<script|<link|src=/);
  });

  const malformed: [string, unknown, string][] = [
    ["not JSON", "{ nope", "history: not JSON"],
    ["wrong model", { model: "kv", ops: [] }, 'model: expected "files", got "kv"'],
    ["ops not an array", { model: "files" }, "ops: expected an array"],
    [
      "a missing call",
      history(put(0, 0, 1, "a"), { client: 0, return: 2, path: "x", op: "get", output: null }),
      "ops[1].call: expected an integer",
    ],
    ["return before call", history({ ...put(0, 5, 1, "a") }), "ops[0].return: 1 is before call 5"],
    [
      "a missing return",
      history({ client: 0, call: 1, path: "x", op: "get", output: null }),
      "ops[0].return: missing",
    ],
    [
      "an unknown op kind",
      history({ ...put(0, 0, 1, "a"), op: "rename" }),
      'ops[0].op: expected one of put, get, append, remove, create, got "rename"',
    ],
    [
      "a bad output",
      history({ ...put(0, 0, 1, "a"), output: "yes" }),
      'ops[0].output: put outputs "ok", got "yes"',
    ],
    [
      "a put without value",
      history({ client: 0, call: 0, return: 1, path: "x", op: "put", output: "ok" }),
      "ops[0].value: put needs a string value",
    ],
    [
      "an output on an unknown op",
      history({ client: 0, call: 0, return: null, path: "x", op: "get", output: "a" }),
      "ops[0].output: an op with an unknown outcome",
    ],
    [
      "a float time",
      history({ ...get(0, 0, 1, null), call: 0.5 }),
      "ops[0].call: expected an integer",
    ],
  ];
  for (const [what, body, message] of malformed) {
    it(`exits 2 on ${what}, naming the field`, async () => {
      const f = await file("bad.json", body);
      const r = await sigmaIn(["lincheck", f]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr).toContain(`lincheck: ${f}: ${message}`);
      expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
    });
  }

  it("exits 2 on a missing file", async () => {
    const r = await sigmaIn(["lincheck", path.join(dir, "absent.json")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("ENOENT");
  });
});
