/**
 * Small hand-built models for emitter tests, independent of the parser and checker. `model()`
 * gives a minimal protocol with every shape the emitters handle; tests tweak copies of it.
 */
import type {
  Field,
  MessageDecl,
  MessageFlags,
  Model,
  SchemaFile,
  Span,
  StructDecl,
  TypeRef,
} from "../../codegen/model.js";

export const span: Span = { file: "demo.sigmap", line: 1, col: 1, offset: 0, length: 0 };

export const u32: TypeRef = { kind: "scalar", name: "u32" };
export const u64: TypeRef = { kind: "scalar", name: "u64" };
export const str: TypeRef = { kind: "scalar", name: "string" };
export const bool: TypeRef = { kind: "scalar", name: "bool" };
export const bytes: TypeRef = { kind: "scalar", name: "bytes" };
export const arrayOf = (of: TypeRef): TypeRef => ({ kind: "array", of });
export const optional = (of: TypeRef): TypeRef => ({ kind: "optional", of });
export const mapOf = (key: TypeRef, value: TypeRef): TypeRef => ({ kind: "map", key, value });
export const struct = (name: string): TypeRef => ({ kind: "struct", name });

export function field(name: string, number: number, type: TypeRef, doc = ""): Field {
  return { name, number, type, doc, span };
}

const NO_FLAGS: MessageFlags = {
  fenced: false,
  blocking: false,
  data: false,
  unordered: false,
  hello: false,
  keepalive: false,
  detach: false,
  error: false,
};

export function message(
  name: string,
  type: number,
  fields: Field[],
  opts: { reply?: string; answers?: string[]; flags?: Partial<MessageFlags>; doc?: string } = {},
  file = "demo.sigmap",
): MessageDecl {
  return {
    name,
    type,
    kind: opts.reply === undefined ? "reply" : "request",
    reply: opts.reply ?? null,
    answers: opts.answers ?? [],
    fields,
    reserved: { numbers: [], names: [] },
    flags: { ...NO_FLAGS, ...opts.flags },
    doc: opts.doc ?? "",
    file,
    span,
  };
}

export function structDecl(
  name: string,
  fields: Field[],
  doc = "",
  file = "demo.sigmap",
): StructDecl {
  return { name, fields, reserved: { numbers: [], names: [] }, doc, file, span };
}

export const demoFile: SchemaFile = {
  path: "demo.sigmap",
  outDir: "demo",
  protocol: { name: "demo", version: 1, doc: "" },
  imports: [],
  doc: "",
};

/** The demo protocol: hello, a keepalive, an error reply, structs, data and a reserved gap. */
export function model(): Model {
  return {
    protocol: { name: "demo", version: 1, doc: "A demo protocol." },
    rootFile: demoFile.path,
    files: [demoFile],
    aliases: [
      { name: "Tfid", target: u32, doc: "A fid.", file: "demo.sigmap", span },
      { name: "Tpath", target: u64, doc: "", file: "demo.sigmap", span },
    ],
    consts: [
      {
        name: "NoFid",
        type: { kind: "alias", name: "Tfid", target: u32 },
        value: 0xffffffffn,
        doc: "No fid.",
        file: "demo.sigmap",
        span,
      },
      { name: "NoPath", type: u64, value: 0xffffffffffffffffn, doc: "", file: "demo.sigmap", span },
      { name: "Limit", type: u32, value: 1000000n, doc: "", file: "demo.sigmap", span },
      { name: "Name", type: str, value: "demo", doc: "", file: "demo.sigmap", span },
    ],
    flags: [
      {
        name: "Mode",
        base: "u32",
        members: [
          { name: "OREAD", value: 0, doc: "", span },
          { name: "OWATCH", value: 0x100, doc: "Blocks.", span },
        ],
        doc: "Open modes.",
        file: "demo.sigmap",
        span,
      },
    ],
    enums: [
      {
        name: "Color",
        base: "u8",
        members: [
          { name: "Red", value: 0, doc: "", span },
          { name: "Blue", value: 2, doc: "", span },
        ],
        doc: "",
        file: "demo.sigmap",
        span,
      },
    ],
    structs: [
      structDecl(
        "Tqid",
        [field("type", 1, u32), field("version", 2, u32), field("path", 3, u64)],
        "An identity.",
      ),
      structDecl("Empty", []),
      structDecl("Bag", [
        field("qids", 1, arrayOf(struct("Tqid"))),
        field("names", 2, arrayOf(arrayOf(str))),
        field("color", 3, { kind: "enum", name: "Color", base: "u8" }),
        field("maybe", 4, optional(u64)),
        field("sids", 5, mapOf(u64, bool)),
        field("blob", 6, bytes),
        field("mode", 7, { kind: "flags", name: "Mode", base: "u32" }),
        field("tags", 8, mapOf(str, arrayOf(str))),
      ]),
    ],
    messages: [
      message("Tversion", 100, [field("version", 1, str)], {
        reply: "Rversion",
        flags: { hello: true },
      }),
      message("Rversion", 101, [field("version", 1, str)], {
        answers: ["Tversion"],
        flags: { hello: true },
      }),
      message(
        "Twalk",
        110,
        [
          field("fid", 1, { kind: "alias", name: "Tfid", target: u32 }, "Where to start."),
          field("newFid", 2, u32),
          field("wnames", 4, arrayOf(str)),
        ],
        { reply: "Rwalk", doc: "Walk wnames from fid.", flags: { fenced: true } },
      ),
      message("Rwalk", 111, [field("qids", 1, arrayOf(struct("Tqid")))], { answers: ["Twalk"] }),
      message("TreadV", 131, [field("fid", 1, u32), field("offset", 2, u64)], {
        reply: "Rread",
        flags: { blocking: true },
      }),
      message("Rread", 132, [], { answers: ["TreadV", "TwriteV"], flags: { data: true } }),
      message("TwriteV", 133, [field("fid", 1, u32)], { reply: "Rread", flags: { data: true } }),
      message("Tclunk", 120, [field("fid", 1, u32)], { reply: "Rclunk" }),
      message("Rclunk", 121, [], { answers: ["Tclunk"] }),
      message("Tbag", 150, [field("bag", 1, struct("Bag"))], { reply: "Rclunk" }),
      message("Tping", 144, [], { reply: "Rping", flags: { keepalive: true } }),
      message("Rping", 145, [], { answers: ["Tping"] }),
      message(
        "Rerror",
        128,
        [field("errCode", 1, u32), field("obj", 2, str), field("err", 3, str)],
        {
          flags: { error: true },
        },
      ),
    ],
    errors: [
      {
        name: "Notfound",
        code: 13,
        description: "not found",
        retry: "final",
        doc: "obj is the name.",
        file: "demo.sigmap",
        span,
      },
      {
        name: "NotSupported",
        code: 21,
        description: "not supported",
        retry: "final",
        doc: "",
        file: "demo.sigmap",
        span,
      },
      {
        name: "BadFcall",
        code: 32,
        description: "bad fcall",
        retry: "final",
        doc: "",
        file: "demo.sigmap",
        span,
      },
      {
        name: "Error",
        code: 35,
        description: "error",
        retry: "final",
        doc: "",
        file: "demo.sigmap",
        span,
      },
      {
        name: "Version",
        code: 28,
        description: "version mismatch",
        retry: "caller",
        doc: "",
        file: "demo.sigmap",
        span,
      },
    ],
    services: [],
    fingerprint: "0123456789abcdef",
  };
}

/** A second schema file that imports the demo one: a record embedding Tqid and an RPC service. */
export function modelWithService(): Model {
  const m = model();
  const echo: SchemaFile = {
    path: "services/echo.sigmap",
    outDir: "services/echo",
    protocol: null,
    imports: ["demo.sigmap"],
    doc: "",
  };
  m.files.push(echo);
  const file = echo.path;
  m.structs.push(
    structDecl("EchoReq", [field("text", 1, str), field("qid", 2, struct("Tqid"))], "", file),
    structDecl(
      "EchoRep",
      [field("text", 1, str), field("path", 2, { kind: "alias", name: "Tpath", target: u64 })],
      "",
      file,
    ),
  );
  m.services.push({
    name: "Echo",
    methods: [{ name: "Echo", request: "EchoReq", reply: "EchoRep", doc: "Says it back.", span }],
    doc: "Echoes text.",
    file,
    span,
  });
  return m;
}
