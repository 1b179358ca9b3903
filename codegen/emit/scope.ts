import posix from "node:path/posix";
import type { MessageDecl, Model, SchemaFile, StructDecl } from "../model.js";

/** The generated modules of one schema file, and the runtime rooms generated code may use. */
export type GeneratedModule =
  | "types"
  | "codec"
  | "client"
  | "server"
  | "registry"
  | "header"
  | "services"
  | "rpc-client"
  | "rpc-server";
/**
 * `contract`: the types generated code declares against and the codec helpers it calls;
 * `wire`: the two engines it runs on (ProtocolClient, the dispatcher); `errors`: the error table.
 */
export type RuntimeRoom = "contract" | "wire" | "errors";

/**
 * How generated code reaches the runtime. `relative`: `../../runtime/contract/index.js`, for code
 * generated inside the sigmats repository. `package`: `sigmats/contract`, for everyone else; what a
 * schema lacks (an error table, the session layer's messages) then comes from `sigmats/sigmap`.
 */
export type RuntimeImports = "relative" | "package";

export interface EmitOptions {
  runtime: RuntimeImports;
}

/** The package generated code imports in `package` mode. */
export const PACKAGE = "sigmats";

/** Where sigmats exports its own protocol, the base of schemas without a table of their own. */
const BASE_PROTOCOL = `${PACKAGE}/sigmap`;

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
  private readonly namespaces = new Map<string, { alias: string; typeOnly: boolean }>();
  private typesAlias: string | null = null;
  private readonly structs: Map<string, StructDecl>;
  private readonly messages: Map<string, MessageDecl>;

  readonly options: EmitOptions;

  constructor(
    model: Model,
    file: SchemaFile,
    module: GeneratedModule,
    options: EmitOptions = { runtime: "relative" },
  ) {
    this.model = model;
    this.file = file;
    this.module = module;
    this.options = options;
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
    return this.note(name, module, true);
  }

  /** A value name (function, const), imported when another module owns it. */
  value(name: string, module: GeneratedModule, owner: string = name): string {
    return this.note(owner, module, false, name);
  }

  /**
   * Refers to this schema file's own types.ts as `alias.Name` from now on, one namespace import
   * instead of a list of every record (codec.ts names them all).
   */
  ownTypesAs(alias: string): void {
    this.typesAlias = alias;
  }

  /**
   * `alias.` for names of another module of this schema file, imported whole (`import * as`):
   * for modules that name every message of the file, where a list of imports would be longer
   * than the code.
   */
  namespace(module: GeneratedModule, alias: string, typeOnly: boolean): string {
    this.namespaces.set(`./${module}.js`, { alias, typeOnly });
    return alias;
  }

  /** A value another module of this schema file defines that is no declaration (a registry). */
  sibling(name: string, module: GeneratedModule): string {
    this.addFrom(this.file.outDir, module, name, false);
    return name;
  }

  /** A name this schema file's types.ts defines that is no declaration (MessageTypes, ErrCode). */
  localType(name: string, typeOnly = true): string {
    return this.addFrom(this.file.outDir, "types", name, typeOnly);
  }

  /** A name from a runtime room. */
  runtime(room: RuntimeRoom, name: string, typeOnly = false): string {
    if (this.options.runtime === "package") {
      this.add(`${PACKAGE}/${room}`, name, typeOnly);
    } else {
      const up = "../".repeat(this.file.outDir.split("/").length + 1);
      this.add(`${up}runtime/${room}/index.js`, name, typeOnly);
    }
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

  /**
   * `errorCodes`, the error table: the schema's own, or in package mode sigmats' (the runtime
   * raises BadFcall, NotSupported and Error from it).
   */
  errorTable(): string {
    const owner = this.model.errors[0]?.file;
    if (owner !== undefined) {
      return this.addFrom(this.outDirOf(owner), "types", "errorCodes", false);
    } else if (this.options.runtime === "package") {
      this.add(BASE_PROTOCOL, "errorCodes", false);
    } else {
      throw new Error("sigma gen: the schema declares no error codes (an `errors { ... }` block)");
    }
    return "errorCodes";
  }

  /**
   * `sessionMessages`, the messages the session layer sends itself (hello, keepalive, detach,
   * the error reply): null when this file declares them; else the file's that does, or in
   * package mode sigmats'.
   */
  sessionMessages(): string | null {
    const owner = this.model.messages.find((m) => m.flags.error)?.file;
    if (owner === this.file.path) return null;
    if (owner !== undefined) {
      this.addFrom(this.outDirOf(owner), "registry", "sessionMessages", false);
    } else if (this.options.runtime === "package") {
      this.add(BASE_PROTOCOL, "sessionMessages", false);
    } else {
      throw new Error("sigma gen: the schema declares no @error reply");
    }
    return "sessionMessages";
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
    // Packages first, then the project's own modules, each sorted.
    const specs = [...new Set([...this.imports.keys(), ...this.namespaces.keys()])].sort(
      (a, b) => Number(a.startsWith(".")) - Number(b.startsWith(".")) || a.localeCompare(b),
    );
    for (const spec of specs) {
      const ns = this.namespaces.get(spec);
      if (ns !== undefined) {
        lines.push(`import ${ns.typeOnly ? "type " : ""}* as ${ns.alias} from "${spec}";`);
        if (!this.imports.has(spec)) continue;
      }
      const names = this.imports.get(spec)!;
      const sorted = [...names.keys()].sort((a, b) => a.localeCompare(b));
      const allTypes = sorted.every((n) => names.get(n));
      const list = sorted.map((n) => (allTypes || !names.get(n) ? n : `type ${n}`)).join(", ");
      lines.push(`import ${allTypes ? "type " : ""}{ ${list} } from "${spec}";`);
    }
    return lines.join("\n");
  }

  private note(owner: string, module: GeneratedModule, typeOnly: boolean, name = owner): string {
    const outDir = this.owners.get(owner);
    if (outDir === undefined) throw new Error(`sigma gen: unknown name ${owner}`);
    return this.addFrom(outDir, module, name, typeOnly);
  }

  private outDirOf(schemaPath: string): string {
    return this.model.files.find((f) => f.path === schemaPath)?.outDir ?? this.file.outDir;
  }

  private addFrom(
    outDir: string,
    module: GeneratedModule,
    name: string,
    typeOnly: boolean,
  ): string {
    if (outDir === this.file.outDir && module === this.module) return name;
    if (outDir === this.file.outDir && module === "types" && this.typesAlias !== null) {
      // A value import: enums and the error table are values.
      return `${this.namespace("types", this.typesAlias, false)}.${name}`;
    }
    let rel = posix.relative(this.file.outDir, outDir);
    rel = rel === "" ? "." : rel.startsWith(".") ? rel : `./${rel}`;
    this.add(`${rel}/${module}.js`, name, typeOnly);
    return name;
  }

  private add(spec: string, name: string, typeOnly: boolean): void {
    let names = this.imports.get(spec);
    if (names === undefined) this.imports.set(spec, (names = new Map()));
    // A name used once as a value needs a value import, whatever else uses it as a type.
    names.set(name, (names.get(name) ?? true) && typeOnly);
  }
}
