/** What a fence's epoch file says, read where the file is (named) and served to other servers. */
import type { FsObj } from "../fs/index.js";

/** The epoch file whose object id is `fenceId` (spec 7: a fence id is its epoch file's id), if here. */
export type EpochFiles = (fenceId: bigint) => FsObj | undefined;

/** Who owns a fence's epoch file, its perm bits, and the epoch it holds (lowercase hex). */
export interface EpochFacts {
  owner: string;
  perm: number;
  epoch: string;
}

/**
 * Where a server without the epoch files asks about them (memfsd, RPC servers: named's
 * `.epochs`, through their FsLib); undefined when there is no such epoch file.
 */
export type RemoteEpochs = (fenceId: bigint) => Promise<EpochFacts | undefined>;

/** Epoch files hold short lowercase hex; an epoch is a u64. */
const EPOCH_RE = /^[0-9a-f]{0,16}$/;

/** What an epoch file says, or undefined when `obj` is not a file holding an epoch. */
export async function epochFactsOf(obj: FsObj | undefined): Promise<EpochFacts | undefined> {
  if (obj === undefined || obj.kind !== "file") return undefined;
  const epoch = new TextDecoder().decode(await obj.read(0n, 17));
  if (!EPOCH_RE.test(epoch)) return undefined;
  return { owner: (await obj.meta()).owner, perm: obj.perm, epoch };
}
