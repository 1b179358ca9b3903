/** `.fences` in the overlay root (spec 4.9): the fence table as a directory, by hex fence id. */
import { ErrCode, Perm } from "../../generated/sigmap/types.js";
import { SigmaError } from "../errors/index.js";
import type { CreateOptions, Dir, DirEntry, FsObj, RenameResult } from "../fs/index.js";
import { FenceTable, type FenceTableInit } from "./fence-table.js";
import { SyntheticNode } from "./synthetic-node.js";

export const FENCES_NAME = ".fences";

export class FencesDir extends SyntheticNode implements Dir {
  readonly kind = "dir";
  readonly table: FenceTable;

  constructor(
    id: bigint,
    allocId: () => bigint,
    now: () => number,
    limits: FenceTableInit["limits"],
    epochs: Pick<FenceTableInit, "epochFiles" | "remoteEpochs" | "store"> = {},
  ) {
    // Sticky and writable: a fence's owner (or an admin) may remove its entry, nobody else's.
    super({
      id,
      perm: Perm.DMDIR | Perm.DMSETVTX | 0o777,
      name: FENCES_NAME,
      owner: "",
      now,
    });
    this.table = new FenceTable({
      allocId,
      now,
      limits,
      changed: () => this.bump(),
      ...(epochs.epochFiles === undefined ? {} : { epochFiles: epochs.epochFiles }),
      ...(epochs.remoteEpochs === undefined ? {} : { remoteEpochs: epochs.remoteEpochs }),
      ...(epochs.store === undefined ? {} : { store: epochs.store }),
    });
  }

  protected override length(): bigint {
    return BigInt(this.table.listingBytes);
  }

  async lookup(name: string): Promise<FsObj | undefined> {
    const entry = this.table.get(name);
    if (entry !== undefined) entry.parent = this;
    return entry;
  }

  async list(after: string | undefined, limit: number): Promise<DirEntry[]> {
    const out: DirEntry[] = [];
    for (const name of this.table.namesAfter(after, limit)) {
      const obj = await this.lookup(name);
      if (obj !== undefined) out.push({ name, obj });
    }
    return out;
  }

  async create(name: string, _perm: number, _opts: CreateOptions): Promise<FsObj> {
    throw new SigmaError(
      ErrCode.NotSupported,
      name,
      `not supported: create ${name} in ${FENCES_NAME}`,
    );
  }

  async remove(name: string, expect?: FsObj): Promise<FsObj> {
    const entry = this.table.get(name);
    if (entry === undefined || (expect !== undefined && entry !== expect)) {
      throw new SigmaError(ErrCode.Notfound, name);
    }
    await this.table.remove(name);
    return entry;
  }

  async rename(oldName: string, _newDir: Dir, newName: string): Promise<RenameResult> {
    throw new SigmaError(
      ErrCode.NotSupported,
      oldName,
      `not supported: rename ${oldName} to ${newName} in ${FENCES_NAME}`,
    );
  }
}
