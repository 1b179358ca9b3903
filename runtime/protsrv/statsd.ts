/** `.statsd` in the overlay root: the request counters as JSON (spec 10.1). */
import { checkVersion, type WaitContext } from "../fs/index.js";
import type { Stats } from "./stats.js";
import { SyntheticDevice } from "./synthetic-node.js";

export const STATSD_NAME = ".statsd";

export class StatsdDevice extends SyntheticDevice {
  readonly #stats: Stats;

  constructor(id: bigint, stats: Stats, now: () => number) {
    super({ id, perm: 0o444, name: STATSD_NAME, owner: "", now });
    this.#stats = stats;
  }

  /** Each read renders a fresh snapshot and returns its bytes [offset, offset+count). */
  async read(
    offset: bigint,
    count: number,
    _ctx: WaitContext,
    version?: number,
  ): Promise<Uint8Array> {
    checkVersion(this.version, version);
    const bytes = this.#render();
    if (offset >= BigInt(bytes.length)) return new Uint8Array(0);
    const start = Number(offset);
    return bytes.slice(start, start + count);
  }

  protected override length(): bigint {
    return BigInt(this.#render().length);
  }

  #render(): Uint8Array {
    return new TextEncoder().encode(JSON.stringify(this.#stats.snapshot()));
  }
}
