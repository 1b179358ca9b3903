/**
 * `.epochs` in the overlay root of a server that holds epoch files (named with principals): how
 * other servers (memfsd, RPC servers) check a fence against its epoch file (docs/security.md,
 * "Fences from the epoch file"). `.epochs/<hex fence id>` reads as JSON `{ owner, perm, epoch }`
 * of the epoch file whose object id is the fence id. Only files holding an epoch (hex, or empty)
 * are shown, and the directory is not listable: it answers "what does this fence's epoch file
 * say", not "what is object N".
 */
import { ErrCode, Perm } from "../../generated/sigmap/types.js";
import { SigmaError } from "../errors/index.js";
import {
  checkVersion,
  type CreateOptions,
  type Dir,
  type DirEntry,
  type FsObj,
  type RenameResult,
  type WaitContext,
} from "../fs/index.js";
import { epochFactsOf, type EpochFacts, type EpochFiles } from "./epoch-facts.js";
import { SyntheticDevice, SyntheticNode } from "./synthetic-node.js";

export const EPOCHS_NAME = ".epochs";

const ID_RE = /^[0-9a-f]{1,16}$/;

export class EpochsDir extends SyntheticNode implements Dir {
  readonly kind = "dir";
  readonly #files: EpochFiles;
  readonly #allocId: () => bigint;

  constructor(id: bigint, allocId: () => bigint, now: () => number, files: EpochFiles) {
    super({ id, perm: Perm.DMDIR | 0o111, name: EPOCHS_NAME, owner: "", now });
    this.#files = files;
    this.#allocId = allocId;
  }

  async lookup(name: string): Promise<FsObj | undefined> {
    if (!ID_RE.test(name)) return undefined;
    const facts = await epochFactsOf(this.#files(BigInt(`0x${name}`)));
    if (facts === undefined) return undefined;
    const view = new EpochView(this.#allocId(), name, facts, this.now);
    view.parent = this;
    return view;
  }

  async list(_after: string | undefined, _limit: number): Promise<DirEntry[]> {
    return [];
  }

  async create(name: string, _perm: number, _opts: CreateOptions): Promise<FsObj> {
    throw this.#unsupported(`create ${name}`);
  }

  async remove(name: string, _expect?: FsObj): Promise<FsObj> {
    throw this.#unsupported(`remove ${name}`);
  }

  async rename(oldName: string, _newDir: Dir, _newName: string): Promise<RenameResult> {
    throw this.#unsupported(`rename ${oldName}`);
  }

  #unsupported(what: string): SigmaError {
    return new SigmaError(ErrCode.NotSupported, what, `not supported: ${what} in ${EPOCHS_NAME}`);
  }
}

/** One epoch file's facts as read at lookup. */
class EpochView extends SyntheticDevice {
  readonly #bytes: Uint8Array;

  constructor(id: bigint, name: string, facts: EpochFacts, now: () => number) {
    super({ id, perm: 0o444, name, owner: "", now });
    this.#bytes = new TextEncoder().encode(JSON.stringify(facts));
  }

  async read(
    offset: bigint,
    count: number,
    _ctx: WaitContext,
    version?: number,
  ): Promise<Uint8Array> {
    checkVersion(this.version, version);
    if (offset >= BigInt(this.#bytes.length)) return new Uint8Array(0);
    const start = Number(offset);
    return this.#bytes.slice(start, start + count);
  }

  protected override length(): bigint {
    return BigInt(this.#bytes.length);
  }
}
