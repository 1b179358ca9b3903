/** memfs files and symlinks: byte content, versioned. */
import { FAILPOINTS, failpointFires } from "../failpoints.js";
import { ByteBuffer } from "./byte-buffer.js";
import { MemNode, type MemStore } from "./mem-node.js";
import type { Dir, File, Symlink } from "./types.js";
import { checkVersion } from "./version-check.js";

abstract class MemBytes extends MemNode {
  readonly #content: ByteBuffer;
  /** The content before the last write; kept only under the stale-read failpoint. */
  #before: Uint8Array | undefined;

  constructor(
    store: MemStore,
    perm: number,
    owner: string,
    name: string,
    parent: Dir | undefined,
    content?: Uint8Array,
    contentOffset?: bigint,
  ) {
    super(store, perm, owner, name, parent);
    try {
      this.#content = new ByteBuffer(this, content, contentOffset);
    } catch (e) {
      this.abandon();
      throw e;
    }
  }

  async read(offset: bigint, count: number, version?: number): Promise<Uint8Array> {
    checkVersion(this.version, version);
    if (FAILPOINTS["stale-read"] && this.#before !== undefined && failpointFires("stale-read")) {
      return this.#before.subarray(Number(offset), Number(offset) + count);
    }
    return this.#content.read(offset, count);
  }

  async write(offset: bigint, data: Uint8Array, version?: number): Promise<number> {
    checkVersion(this.version, version);
    if (FAILPOINTS["lost-write"] && failpointFires("lost-write")) return data.length;
    if (FAILPOINTS["stale-read"]) this.#keepBefore();
    const n = this.#content.write(offset, data);
    this.bump();
    return n;
  }

  async truncate(size: bigint): Promise<void> {
    this.#content.truncate(size);
    this.bump();
  }

  async replace(data: Uint8Array): Promise<number> {
    if (FAILPOINTS["lost-write"] && failpointFires("lost-write")) return data.length;
    if (FAILPOINTS["stale-read"]) this.#keepBefore();
    const n = this.#content.replace(data);
    this.bump();
    return n;
  }

  #keepBefore(): void {
    this.#before = this.#content.read(0n, this.#content.size).slice();
  }

  protected override size(): bigint {
    return BigInt(this.#content.size);
  }
}

export class MemFile extends MemBytes implements File {
  readonly kind = "file";
}

export class MemSymlink extends MemBytes implements Symlink {
  readonly kind = "symlink";
}
