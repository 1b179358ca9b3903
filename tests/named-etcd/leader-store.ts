/**
 * An etcd store opened as its realm's leader, without a named around it: the client, the
 * election won on `<prefix>leader`, and the EtcdFs fenced by it. For the store's own tests.
 */
import type { Etcd3 } from "etcd3";
import {
  campaign,
  etcdClient,
  EtcdFs,
  type EtcdFsOptions,
  type Leadership,
} from "../../runtime/fs-etcd/index.js";

export interface LeaderStore {
  client: Etcd3;
  lead: Leadership;
  fs: EtcdFs;
}

/** Campaigns on `prefix` (5 s lease) and opens the store there; sessions live 2 s. */
export async function openLeaderStore(
  endpoints: readonly string[],
  prefix: string,
  hooks: Partial<EtcdFsOptions> = {},
  holder = "t",
): Promise<LeaderStore> {
  const client = etcdClient(endpoints);
  const lead = await campaign({
    client,
    key: Buffer.from(`${prefix}leader`),
    value: holder,
    ttlSec: 5,
  });
  const fs = await EtcdFs.open({
    client,
    prefix,
    fenceRev: lead.fenceRev,
    deadline: () => lead.deadline(),
    sessionTtlSec: 2,
    ...hooks,
  });
  return { client, lead, fs };
}
