/** memfs devices: DMDEVICE objects whose behaviour server code supplies (spec 10.1). */
import { ErrCode } from "../../generated/sigmap/types.js";
import { SigmaError } from "../errors/index.js";
import { MemNode, type MemStore } from "./mem-node.js";
import type { Device, DeviceHandlers, Dir, FsObj, WaitContext } from "./types.js";
import { checkVersion } from "./version-check.js";

export class MemDevice extends MemNode implements Device {
  readonly kind = "device";
  readonly #h: DeviceHandlers;

  constructor(
    store: MemStore,
    perm: number,
    owner: string,
    name: string,
    parent: Dir | undefined,
    handlers: DeviceHandlers,
  ) {
    super(store, perm, owner, name, parent);
    this.#h = handlers;
  }

  get rpc(): boolean {
    return this.#h.writeRead !== undefined;
  }

  async open(mode: number, ctx: WaitContext): Promise<FsObj | undefined> {
    if (this.#h.open === undefined) return undefined;
    const yielded = (await this.#h.open(mode, ctx)) ?? undefined;
    // Spec 4.3: an open that yields another object moves that object's version.
    if (yielded !== undefined && yielded instanceof MemNode) yielded.bump();
    return yielded;
  }

  async close(mode: number, ctx: WaitContext): Promise<void> {
    await this.#h.close?.(mode, ctx);
  }

  async read(
    offset: bigint,
    count: number,
    ctx: WaitContext,
    version?: number,
  ): Promise<Uint8Array> {
    checkVersion(this.version, version);
    if (this.#h.read === undefined) throw this.#unsupported("read");
    return await this.#h.read(offset, count, ctx);
  }

  async write(
    offset: bigint,
    data: Uint8Array,
    ctx: WaitContext,
    version?: number,
  ): Promise<number> {
    checkVersion(this.version, version);
    if (this.#h.write === undefined) throw this.#unsupported("write");
    const n = await this.#h.write(offset, data, ctx);
    this.bump();
    return n;
  }

  async writeRead(req: Uint8Array, ctx: WaitContext): Promise<Uint8Array> {
    if (this.#h.writeRead === undefined) throw this.#unsupported("writeread");
    const reply = await this.#h.writeRead(req, ctx);
    this.bump();
    return reply;
  }

  #unsupported(op: string): SigmaError {
    return new SigmaError(ErrCode.NotSupported, this.name, `not supported: ${op} on ${this.name}`);
  }
}
