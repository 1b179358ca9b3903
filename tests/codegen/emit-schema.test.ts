/** The emitters over the real schema: the output compiles, formats, and pins a few API shapes. */
import * as prettier from "prettier";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emitFile, emitRootIndex, type OutputFile } from "../../codegen/emit/index.js";
import { loadSchemaDir } from "../../codegen/load.js";
import type { Model } from "../../codegen/model.js";
import { writeTree, type EmittedTree } from "./emit-to-disk.js";

let model: Model;
let outputs: OutputFile[];
let tree: EmittedTree;

beforeAll(async () => {
  const loaded = await loadSchemaDir("schema");
  if (loaded.model === null) throw new Error(loaded.diagnostics.map((d) => d.message).join("\n"));
  model = loaded.model;
  outputs = [...model.files.flatMap((f) => emitFile(model, f)), ...emitRootIndex(model)];
  tree = writeTree(outputs);
});
afterAll(() => tree.remove());

const content = (p: string): string => outputs.find((o) => o.path === p)?.content ?? "";

describe("sigma gen output for schema/", () => {
  it("typechecks", () => {
    expect(tree.typecheck()).toBe("");
  });

  it("is valid TypeScript that prettier can format", async () => {
    for (const o of outputs) {
      await expect(prettier.format(o.content, { parser: "typescript" })).resolves.toContain(
        "@generated",
      );
    }
  });

  it("matches the generated API of contracts.md", () => {
    expect(content("sigmap/types.ts")).toContain("export const NoFid = 0xffffffff;");
    expect(content("sigmap/codec.ts")).toContain(
      "export function decodeTwalk(body: unknown, _data?: Uint8Array): t.Twalk {",
    );
    expect(content("sigmap/client.ts")).toContain(
      "walk(req: Twalk, opts?: CallOptions): Promise<Rwalk> {",
    );
    expect(content("sigmap/server.ts")).toContain("readV(req: TreadV, ctx: Ctx): Promise<Rread>;");
    expect(content("sigmap/server.ts")).not.toMatch(/\bheartbeat\(|\bversion\(/);
    expect(content("sigmap/registry.ts")).toContain(
      `export const fingerprint = "${model.fingerprint}";`,
    );
  });

  it("round-trips a Twalk and describes BadFcall from the error table", async () => {
    const codec = await tree.load<Record<string, (...a: unknown[]) => unknown>>("sigmap/codec.ts");
    const twalk = { fid: 1, newFid: 2, wnames: ["a", "b"] };
    expect(codec.decodeTwalk!(codec.encodeTwalk!(twalk))).toEqual(twalk);
    expect(() => codec.decodeTwalk!([1, 2, [3]])).toThrow(
      "bad fcall: Twalk.wnames[0]: expected string, got integer 3",
    );
  });
});
