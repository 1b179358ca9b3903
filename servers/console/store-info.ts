/**
 * Which store serves named, for the "store" panel. The embedded memfs store has one replica;
 * named on etcd (another issue) plugs in a source that names the replicas and the one that leads.
 */
import type { StoreInfo } from "./api-types.js";

/** Answers the store panel; called once per census. */
export type StoreInfoSource = () => Promise<StoreInfo>;

export const memfsStoreInfo: StoreInfoSource = async () => ({
  kind: "memfs",
  description: "named's embedded in-memory store: one replica, nothing to elect",
  replicas: null,
});
