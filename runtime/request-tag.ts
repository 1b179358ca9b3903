/**
 * The request a store mutation runs for, where a store needs to know it (named on etcd: the dedup
 * key of exactly-once across failover, docs/named-etcd.md). The session server sets it around a
 * request's handler only when its sessions are journalled, so other servers pay nothing; the
 * store reads it when the handler submits the mutation. Ground, so that the store need not learn
 * of sessions and the session layer need not learn of stores.
 */
import { AsyncLocalStorage } from "node:async_hooks";

export interface RequestTag {
  readonly session: bigint;
  readonly seqno: bigint;
  /** Whether the client acknowledged `seqno` (received its reply). */
  isAcked(seqno: bigint): boolean;
  /** The request's first mutation took the tag: a request is deduplicated once. */
  claimed: boolean;
}

export const requestTags = new AsyncLocalStorage<RequestTag>();
