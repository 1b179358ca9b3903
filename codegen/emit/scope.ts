import posix from "node:path/posix";
import type { ErrorCodeDecl, MessageDecl, Model, SchemaFile, StructDecl } from "../model.js";

/** The generated modules of one schema file, and the runtime rooms generated code may use. */
export type GeneratedModule =
  "types" | "codec" | "client" | "server" | "registry" | "services" | "rpc-client" | "rpc-server";
export type RuntimeRoom = "wire" | "errors";

/**
 * What one output file can see: which schema file owns each name, and the imports the file
 * needs. Emitters ask for names through `type`/`value`, which record an import when the name
 * lives in another module.
 */
export class Scope {
  readonly model: Model;
  readonly file: SchemaFile;
  readonly module: GeneratedModule;
  private readonly owners = new Map<string, string>();
  private readonly imports = new Map<string, Map<string, boolean>>();
  private readonly structs: Map<string, StructDecl>;
  private readonly messages: Map<string, MessageDecl>;

  constructor(model: Model, file: SchemaFile, module: GeneratedModule) {
    this.model = model;
    this.file = file;
    this.module = module;
    const outDirs = new Map(model.files.map((f) => [f.path, f.outDir]));
    const decls = [
      ...model.aliases,
      ...model.consts,
      ...model.flags,
      ...model.enums,
      ...model.structs,
      ...model.messages,
      ...model.services,
    ];
    for (const d of decls) this.owners.set(d.name, outDirs.get(d.file) ?? d.file);
    this.structs = new Map(model.structs.map((s) => [s.name, s]));
    this.messages = new Map(model.messages.map((m) => [m.name, m]));
  }

  /** A type name, imported type-only when another module owns it. */
  type(name: string, module: GeneratedModule = "types"): string {
    this.note(name, module, true);
    return name;
  }

  /** A value name (function, const), imported when another module owns it. */
  value(name: string, module: GeneratedModule, owner: string = name): string {
    this.note(owner, module, false, name);
    return name;
  }

  /** A name this schema file's types.ts defines that is no declaration (MessageTypes, ErrCode). */
  localType(name: string, typeOnly = true): string {
    this.addFrom(this.file.outDir, "types", name, typeOnly);
    return name;
  }

  /** A name from a runtime room. */
  runtime(room: RuntimeRoom, name: string, typeOnly = false): string {
    const up = "../".repeat(this.file.outDir.split("/").length + 1);
    this.add(`${up}runtime/${room}/index.js`, name, typeOnly);
    return name;
  }

  struct(name: string): StructDecl | undefined {
    return this.structs.get(name);
  }

  message(name: string): MessageDecl {
    const m = this.messages.get(name);
    if (m === undefined) throw new Error(`sigma gen: no message ${name}`);
    return m;
  }

  /** The declarations of the current file, in schema order. */
  own<T extends { file: string }>(decls: readonly T[]): T[] {
    return decls.filter((d) => d.file === this.file.path);
  }

  /** An error code by name; decoders and dispatchers depend on BadFcall and Error existing. */
  errorCode(name: string): ErrorCodeDecl {
    const e = this.model.errors.find((x) => x.name === name);
    if (e === undefined) throw new Error(`sigma gen: the schema declares no ${name} error code`);
    return e;
  }

  /** `ErrCode.<name>`, importing ErrCode from the file that declares the error table. */
  errCode(name: string): string {
    const decl = this.errorCode(name);
    const owner = this.model.files.find((f) => f.path === decl.file)?.outDir ?? this.file.outDir;
    this.addFrom(owner, "types", "ErrCode", false);
    return `ErrCode.${name}`;
  }

  /** The message flagged @error (Rerror); it carries every failure back to a client. */
  errorMessage(): MessageDecl {
    const m = this.model.messages.find((x) => x.flags.error);
    if (m === undefined) throw new Error("sigma gen: the schema declares no @error message");
    return m;
  }

  /** `MsgType.<name>`. Message numbers of one protocol live in one file's MsgType table. */
  msgType(name: string): string {
    const owner = this.owners.get(name);
    if (owner !== this.file.outDir) {
      throw new Error(
        `sigma gen: message ${name} is declared in ${owner ?? "no file"}, but ${this.file.path} refers to it; keep a protocol's messages in one file`,
      );
    }
    this.addFrom(owner, "types", "MsgType", false);
    return `MsgType.${name}`;
  }

  /** The import block, sorted by module then name, so output is stable. */
  renderImports(): string {
    const lines: string[] = [];
    for (const spec of [...this.imports.keys()].sort()) {
      const names = this.imports.get(spec)!;
      const sorted = [...names.keys()].sort((a, b) => a.localeCompare(b));
      const allTypes = sorted.every((n) => names.get(n));
      const list = sorted.map((n) => (allTypes || !names.get(n) ? n : `type ${n}`)).join(", ");
      lines.push(`import ${allTypes ? "type " : ""}{ ${list} } from "${spec}";`);
    }
    return lines.join("\n");
  }

  private note(owner: string, module: GeneratedModule, typeOnly: boolean, name = owner): void {
    const outDir = this.owners.get(owner);
    if (outDir === undefined) throw new Error(`sigma gen: unknown name ${owner}`);
    this.addFrom(outDir, module, name, typeOnly);
  }

  private addFrom(outDir: string, module: GeneratedModule, name: string, typeOnly: boolean): void {
    if (outDir === this.file.outDir && module === this.module) return;
    let rel = posix.relative(this.file.outDir, outDir);
    rel = rel === "" ? "." : rel.startsWith(".") ? rel : `./${rel}`;
    this.add(`${rel}/${module}.js`, name, typeOnly);
  }

  private add(spec: string, name: string, typeOnly: boolean): void {
    let names = this.imports.get(spec);
    if (names === undefined) this.imports.set(spec, (names = new Map()));
    // A name used once as a value needs a value import, whatever else uses it as a type.
    names.set(name, (names.get(name) ?? true) && typeOnly);
  }
}
