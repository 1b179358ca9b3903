/** `--json` on every fs command: one JSON value per path, for scripts. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startNamed, type Named } from "../../servers/named/index.js";
import { sigmaIn } from "./run-cli.js";

let named: Named;
beforeAll(async () => {
  named = await startNamed();
});
afterAll(() => named?.close());

const sigma = (args: string[], stdin = "") => sigmaIn([...args, "--named", named.addr], stdin);

/** The JSON values a command printed, in order. */
async function json(args: string[], stdin = ""): Promise<unknown[]> {
  const r = await sigma([...args, "--json"], stdin);
  expect(r).toMatchObject({ code: 0, stderr: "" });
  return r.stdout === "" ? [] : r.stdout.split(/\n(?=[[{])/).map((v) => JSON.parse(v) as unknown);
}

describe("--json", () => {
  it("every fs command the README lists takes it", async () => {
    expect(await json(["mkdir", "-p", "name/tmp/j/a", "name/tmp/j/b"])).toEqual([
      { path: "name/tmp/j/a", created: true },
      { path: "name/tmp/j/b", created: true },
    ]);
    expect(await json(["mkdir", "-p", "name/tmp/j/a"])).toEqual([
      { path: "name/tmp/j/a", created: false },
    ]);
    expect(await json(["put", "name/tmp/j/f"], "hello")).toEqual([
      { path: "name/tmp/j/f", length: "5" },
    ]);
    expect(await json(["cat", "name/tmp/j/f"])).toEqual([
      { path: "name/tmp/j/f", data: Buffer.from("hello").toString("base64") },
    ]);
    const [ls] = (await json(["ls", "name/tmp/j"])) as { name: string; type: string }[][];
    expect(ls?.map((e) => [e.name, e.type])).toEqual([
      ["a", "dir"],
      ["b", "dir"],
      ["f", "file"],
    ]);
    expect(await json(["stat", "name/tmp/j/f"])).toEqual([
      expect.objectContaining({ name: "f", type: "file", length: "5" }),
    ]);
    expect(await json(["rename", "name/tmp/j/f", "name/tmp/j/g"])).toEqual([
      { from: "name/tmp/j/f", to: "name/tmp/j/g" },
    ]);
    expect(await json(["tree", "name/tmp/j"])).toEqual([
      [
        { name: "a", type: "dir", children: [] },
        { name: "b", type: "dir", children: [] },
        { name: "g", type: "file" },
      ],
    ]);
    expect(await json(["rm", "-r", "name/tmp/j/a", "name/tmp/j/b"])).toEqual([
      { path: "name/tmp/j/a", removed: true },
      { path: "name/tmp/j/b", removed: true },
    ]);
    for (const c of ["ls", "cat", "put", "rm", "mkdir", "stat", "tree", "watch", "rename"]) {
      expect((await sigma([c, "--help"])).stdout).toContain("--json");
    }
  });

  it("without --json, the commands that change things print nothing", async () => {
    expect(await sigma(["put", "name/tmp/quiet"], "x")).toEqual({
      code: 0,
      stdout: "",
      stderr: "",
    });
    expect(await sigma(["rm", "name/tmp/quiet"])).toEqual({ code: 0, stdout: "", stderr: "" });
  });
});
