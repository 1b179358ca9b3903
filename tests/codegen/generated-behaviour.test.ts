/**
 * Emits the fixture protocol to disk, typechecks it, and runs it: codec round trips, decoder
 * failures, the dispatcher and the client over an in-memory transport.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emitFile, emitRootIndex } from "../../codegen/emit/index.js";
import { isErr, SigmaError } from "../../runtime/errors/index.js";
import type { RawReply, Transport } from "../../runtime/contract/transport.js";
import type { RpcTransport } from "../../runtime/contract/service-types.js";
import { pack, unpack } from "../../runtime/wire/msgpack.js";
import { writeTree, type EmittedTree } from "./emit-to-disk.js";
import { modelWithService } from "./fixture-model.js";

type Codec = Record<string, (...args: unknown[]) => unknown>;
type Dispatch = (
  h: object,
  type: number,
  body: unknown,
  data: Uint8Array,
  ctx: unknown,
) => Promise<RawReply>;

const BAD_FCALL = 32;
const m = modelWithService();
let tree: EmittedTree;
let codec: Codec;
let dispatch: Dispatch;
let decodeBody: (type: number, body: unknown) => unknown;
let Client: new (t: Transport) => Record<string, (req: unknown) => Promise<unknown>>;

beforeAll(async () => {
  tree = writeTree([...m.files.flatMap((f) => emitFile(m, f)), ...emitRootIndex(m)]);
  codec = await tree.load<Codec>("demo/codec.ts");
  dispatch = (await tree.load<{ dispatchDemo: Dispatch }>("demo/server.ts")).dispatchDemo;
  type Registry = { decode(type: number, body: unknown): unknown };
  const registry = (await tree.load<{ demoRegistry: Registry }>("demo/registry.ts")).demoRegistry;
  decodeBody = (type, body) => registry.decode(type, body);
  Client = (await tree.load<{ DemoClient: typeof Client }>("demo/client.ts")).DemoClient;
});
afterAll(() => tree.remove());

const wire = (body: unknown): unknown => unpack(pack(body));

function badFcall(fn: () => unknown): SigmaError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SigmaError);
    expect(isErr(e, BAD_FCALL)).toBe(true);
    return e as SigmaError;
  }
  throw new Error("expected BadFcall");
}

describe("generated code", () => {
  it("typechecks", () => {
    expect(tree.typecheck()).toBe("");
  });

  it("round-trips every shape through MessagePack", () => {
    const bag = {
      qids: [{ type: 1, version: 2, path: 2n ** 63n + 5n }],
      names: [["a"], []],
      color: 2,
      maybe: undefined,
      sids: new Map([
        [7n, true],
        [2n ** 40n, false],
      ]),
      blob: new Uint8Array([1, 2, 3]),
      mode: 0x100,
      tags: new Map([["k", ["v"]]]),
    };
    const back = codec.decodeTbag!(wire(codec.encodeTbag!({ bag }))) as { bag: typeof bag };
    expect(back.bag.qids).toEqual(bag.qids);
    expect(back.bag.sids).toEqual(bag.sids);
    expect([...back.bag.blob]).toEqual([1, 2, 3]);
    expect(back.bag.maybe).toBeUndefined();
    expect(back.bag.tags.get("k")).toEqual(["v"]);
  });

  it("ignores trailing elements from a newer peer", () => {
    expect(codec.decodeTclunk!([5, "future"])).toEqual({ fid: 5 });
  });

  it("turns any malformed body into BadFcall naming where", () => {
    expect(badFcall(() => codec.decodeTwalk!([1, 2, null, ["a", 3]])).obj).toBe("Twalk.wnames[1]");
    expect(badFcall(() => codec.decodeTwalk!([1, 2])).message).toBe(
      "bad fcall: Twalk: expected at least 4 elements, got 2",
    );
    expect(badFcall(() => codec.decodeRwalk!([[[1, 2, -1]]])).obj).toBe("Rwalk.qids[0].path");
    badFcall(() =>
      codec.decodeTbag!([[[], [], 9, null, new Map(), new Uint8Array(), 0, new Map()]]),
    );
    badFcall(() => codec.decodeTclunk!("nonsense"));
    badFcall(() => decodeBody(99, []));
  });

  it("carries data beside the body", () => {
    const data = new Uint8Array([9]);
    expect(codec.encodeTwriteV!({ fid: 1, data })).toEqual([1]);
    expect(codec.decodeTwriteV!([1], data)).toEqual({ fid: 1, data });
    expect(codec.decodeRread!([])).toEqual({ data: new Uint8Array(0) });
  });
});

describe("dispatcher", () => {
  const handlers = {
    walk: async (req: { wnames: string[] }) => ({
      qids: req.wnames.map((_, i) => ({ type: 0, version: i, path: 1n })),
    }),
    readV: async () => ({ data: new Uint8Array([4, 2]) }),
    writeV: async (req: { data: Uint8Array }) => ({ data: req.data }),
    clunk: async () => {
      throw new SigmaError(13, "name/a");
    },
    bag: async () => {
      throw new TypeError("kaput");
    },
  };
  const call = (type: number, body: unknown, data = new Uint8Array(0)) =>
    dispatch(handlers, type, body, data, {});

  it("decodes, runs the handler and encodes the reply", async () => {
    const r = await call(110, [1, 2, null, ["a", "b"]]);
    expect(r.type).toBe(111);
    expect(codec.decodeRwalk!(r.body)).toEqual({
      qids: [
        { type: 0, version: 0, path: 1n },
        { type: 0, version: 1, path: 1n },
      ],
    });
    expect([...(await call(131, [1, 0])).data]).toEqual([4, 2]);
    expect([...(await call(133, [1], new Uint8Array([8]))).data]).toEqual([8]);
  });

  it("answers unknown types, hellos and bad bodies with Rerror(BadFcall)", async () => {
    for (const [type, body] of [
      [99, []],
      [100, ["demo"]],
      [110, ["x"]],
    ] as const) {
      const r = await call(type, body);
      expect(r.type).toBe(128);
      expect((r.body as unknown[])[0]).toBe(BAD_FCALL);
    }
  });

  it("reports a handler's SigmaError and wraps anything else as Error", async () => {
    expect((await call(120, [1])).body).toEqual([13, "name/a", "not found: name/a"]);
    expect(
      (await call(150, [[[], [], 0, null, new Map(), new Uint8Array(), 0, new Map()]])).body,
    ).toEqual([35, "kaput", "error: kaput"]);
  });
});

describe("client", () => {
  const transportFor = (reply: RawReply): Transport & { sent: unknown[] } => {
    const sent: unknown[] = [];
    return {
      sent,
      call: async (type, body, data) => {
        sent.push([type, body, data]);
        return reply;
      },
    };
  };

  it("sends the encoded request and decodes the reply", async () => {
    const t = transportFor({ type: 132, body: [], data: new Uint8Array([1]) });
    const rep = await new Client(t).writeV!({ fid: 3, data: new Uint8Array([5]) });
    expect(t.sent).toEqual([[133, [3], new Uint8Array([5])]]);
    expect(rep).toEqual({ data: new Uint8Array([1]) });
  });

  it("rebuilds the server's SigmaError from Rerror", async () => {
    const t = transportFor({
      type: 128,
      body: [13, "name/a", "not found: name/a"],
      data: new Uint8Array(),
    });
    await expect(new Client(t).clunk!({ fid: 1 })).rejects.toMatchObject({
      code: 13,
      obj: "name/a",
      message: "not found: name/a",
    });
  });

  it("fails an unexpected reply type with BadFcall", async () => {
    const t = transportFor({ type: 111, body: [[]], data: new Uint8Array() });
    await expect(new Client(t).clunk!({ fid: 1 })).rejects.toMatchObject({ code: BAD_FCALL });
  });
});

describe("service client and dispatcher", () => {
  type Bind = (h: object) => {
    info: { name: string };
    dispatch: (method: string, args: unknown, ctx: unknown) => Promise<unknown[]>;
  };
  type EchoCtor = new (t: RpcTransport) => { echo(req: unknown): Promise<unknown> };
  const qid = { type: 1, version: 2, path: 3n };
  const handlers = {
    echo: async (req: { text: string }) => {
      if (req.text === "fail") throw new SigmaError(13, "x");
      return { text: req.text.toUpperCase(), path: 7n };
    },
  };

  it("round-trips a call from the typed client through the dispatcher to the handler", async () => {
    const server = await tree.load<{ echoService: Bind }>("services/echo/rpc-server.ts");
    const { EchoClient } = await tree.load<{ EchoClient: EchoCtor }>("services/echo/rpc-client.ts");
    const bound = server.echoService(handlers);
    expect(bound.info.name).toBe("Echo");
    const sent: string[] = [];
    const transport: RpcTransport = {
      call: async (method, args) => {
        sent.push(method);
        return wire(await bound.dispatch(method, wire(args), undefined));
      },
    };
    const rep = await new EchoClient(transport).echo({ text: "hi", qid });
    expect(rep).toEqual({ text: "HI", path: 7n });
    expect(sent).toEqual(["Echo.Echo"]);
  });

  it("rejects unknown methods with NotSupported and passes a handler's error through", async () => {
    const server = await tree.load<{ echoService: Bind }>("services/echo/rpc-server.ts");
    const bound = server.echoService(handlers);
    await expect(bound.dispatch("Echo.Nope", [], undefined)).rejects.toMatchObject({
      code: 21,
      message: "unknown method: Echo.Nope",
    });
    await expect(bound.dispatch("Echo", ["fail", [1, 2, 3n]], undefined)).rejects.toMatchObject({
      code: 13,
    });
    await expect(bound.dispatch("Echo", ["no qid"], undefined)).rejects.toMatchObject({
      code: BAD_FCALL,
    });
  });
});
