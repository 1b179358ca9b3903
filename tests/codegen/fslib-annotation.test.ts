/**
 * `@fslib(path|fid|none)`: the checker accepts exactly these on a request with a `fid: u32` field
 * (none needs none), and client.ts gets one FsLib-level method per annotated request, over the
 * hooks of runtime/contract/fs-methods.ts. The fingerprint ignores it: it is no part of the wire.
 */
import { describe, expect, it } from "vitest";
import { emitFile } from "../../codegen/emit/index.js";
import { loadSchemaDir, loadSchemaSources } from "../../codegen/load.js";

const HEAD = `protocol demo version 1;
`;

function load(body: string): ReturnType<typeof loadSchemaSources> {
  return loadSchemaSources(new Map([["demo.sigmap", `${HEAD}\n${body}`]]));
}

const MESSAGES = `/// Stat a path.
@fslib(path)
request Tlook = 10 -> Rlook {
  fid: u32 = 1;
  deep: bool = 2;
}

/// Stat a fid.
@fslib(fid)
request Tpeek = 12 -> Rlook {
  fid: u32 = 1;
}

/// Say hi.
@fslib(none)
request Thi = 14 -> Rlook {
  text: string = 1;
}

request Tplain = 16 -> Rlook {
  text: string = 1;
}

reply Rlook = 11 {
  text: string = 1;
}
`;

describe("@fslib", () => {
  it("emits one FsLib method per annotated request, by its mapping", () => {
    const { model, diagnostics } = load(MESSAGES);
    expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const file = model!.files[0]!;
    const client = emitFile(model!, file, { runtime: "package" }).find((o) =>
      o.path.endsWith("/client.ts"),
    )!.content;
    expect(client).toContain("export abstract class DemoFsLibMethods extends FsMethods {");
    expect(client).toContain(
      'look(path: string, req: Omit<Tlook, "fid">, opts?: CallLimits): Promise<Rlook> {',
    );
    expect(client).toContain(
      "return this.requestAtPath(registry.TlookDesc, path, (fid) => ({ ...req, fid }), opts);",
    );
    expect(client).toContain("peek(fid: number, opts?: CallLimits): Promise<Rlook> {");
    expect(client).toContain("return this.requestOnFid(registry.TpeekDesc, fid, { fid }, opts);");
    expect(client).toContain("hi(req: Thi, opts?: CallLimits): Promise<Rlook> {");
    expect(client).toContain("return this.requestNamed(registry.ThiDesc, req, opts);");
    // Without the annotation: a SigmapClient-level method only.
    expect(client).toContain("plain(req: Tplain, opts?: CallOptions)");
    expect(client).not.toContain("plain(req: Tplain, opts?: CallLimits)");
  });

  it("leaves the fingerprint alone", () => {
    const a = load(MESSAGES).model!.fingerprint;
    const b = load(MESSAGES.replace(/^@fslib\(\w+\)\n/gm, "")).model!.fingerprint;
    expect(a).toBe(b);
  });

  it.each([
    [
      "@fslib(path)\nrequest Tx = 10 -> Rx {\n  text: string = 1;\n}",
      "SIG031",
      "needs a field `fid: u32`",
    ],
    [
      "@fslib(fid)\nrequest Tx = 10 -> Rx {\n  fid: string = 1;\n}",
      "SIG031",
      "needs a field `fid: u32`",
    ],
    [
      "@fslib(dir)\nrequest Tx = 10 -> Rx {\n  fid: u32 = 1;\n}",
      "SIG031",
      "takes one argument: path, fid, none",
    ],
    ["@fslib\nrequest Tx = 10 -> Rx {\n  fid: u32 = 1;\n}", "SIG031", "takes one argument"],
    ["@fslib(none) @fslib(none)\nrequest Tx = 10 -> Rx {}", "SIG032", "appears twice"],
  ])("rejects %j with %s", (decl, code, text) => {
    const { diagnostics } = load(`${decl}\n\nreply Rx = 11 {}\n`);
    const errs = diagnostics.filter((d) => d.severity === "error");
    expect(errs.map((d) => d.code)).toEqual([code]);
    expect(errs[0]!.message).toContain(text);
  });

  it("is a request's annotation only", () => {
    const { diagnostics } = load("request Tx = 10 -> Rx {}\n\n@fslib(none)\nreply Rx = 11 {}\n");
    expect(diagnostics.filter((d) => d.severity === "error").map((d) => d.code)).toEqual([
      "SIG033",
    ]);
  });

  it("the repository's schema has no @fslib yet, and client.ts still declares the class", async () => {
    const { model } = await loadSchemaDir("schema");
    const sigmap = model!.files.find((f) => f.outDir === "sigmap")!;
    const client = emitFile(model!, sigmap).find((o) => o.path === "sigmap/client.ts")!.content;
    expect(client).toMatch(/export abstract class SigmapFsLibMethods extends FsMethods \{\s*\}/);
  });
});
