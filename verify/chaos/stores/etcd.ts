/**
 * The etcd store: a three-member etcd cluster (devtools/etcd.ts) and three `sigma named
 * --etcd` replicas with a 1 s election lease (devtools/replicas.ts). Faults target both
 * kinds; a killed replica or member is started again on the same address and data. Each replica
 * reaches each etcd member through a fault proxy of its own, so that a partition can cut one
 * replica off etcd.
 */
import { FaultProxy } from "../../../devtools/fault-proxy.js";
import { startEtcd, type EtcdMember } from "../../../devtools/etcd.js";
import { Replicas, type Replica } from "../../../devtools/replicas.js";
import type { Member, RunningStore } from "../store.js";

const REPLICAS = 3;
/** The replicas' election lease; their session timeout is 3 × this (named's default). */
export const ELECTION_LEASE_MS = 1000;

export async function startEtcdStore(env: NodeJS.ProcessEnv): Promise<RunningStore> {
  const etcd = await startEtcd(3);
  const links: FaultProxy[][] = [];
  const named = new Replicas((i) => links[i]!.map((p) => p.addr), ELECTION_LEASE_MS, env);
  const closeLinks = () => Promise.all(links.flat().map((p) => p.close()));
  try {
    for (let i = 0; i < REPLICAS; i++) {
      links.push(await Promise.all(etcd.endpoints.map((target) => FaultProxy.start({ target }))));
    }
    await named.start(REPLICAS);
    await named.leader();
  } catch (e) {
    await named.stopAll();
    await closeLinks();
    await etcd.stop();
    throw e;
  }
  // Several may say they lead when one is blind to its lease's end (failpoints fence-off,
  // lease-late) and was never deposed: the leader is the one that said so last.
  const leadOrder: Replica[] = named.all.filter((r) => r.leading);
  const noteLeads = (r: Replica): void => {
    void r.nextLead().then(() => {
      leadOrder.push(r);
      if (named.all.includes(r)) noteLeads(r);
    });
  };
  named.all.forEach(noteLeads);
  const latestLeader = (): Replica | undefined =>
    [...leadOrder].reverse().find((r) => r.leading && named.all.includes(r));
  const replica = (i: number): Member => ({
    name: `named-${i}`,
    kind: "named",
    signal: (sig) => {
      const p = named.all[i]!.proc;
      if (p.exitCode === null && p.signalCode === null) p.kill(sig);
    },
    leading: () => latestLeader() === named.all[i],
  });
  const member = (m: EtcdMember): Member => ({
    name: `etcd-${m.name}`,
    kind: "etcd",
    signal: (sig) => m.signal(sig),
  });
  const members = [
    ...Array.from({ length: REPLICAS }, (_, i) => replica(i)),
    ...etcd.members.map(member),
  ];
  return {
    addrs: named.addrs,
    members,
    isolate: (m, cut) => {
      for (const p of links[members.indexOf(m)] ?? []) {
        if (cut) p.down();
        else p.up();
      }
    },
    otherLeader: async (not, ms) => {
      const others = named.all.filter((_, i) => members[i] !== not);
      await Promise.race([...others.map((r) => r.nextLead()), sleep(ms)]);
    },
    restart: async (m, downMs) => {
      const i = members.indexOf(m);
      if (m.kind === "named") {
        await named.kill(named.all[i]!);
        await sleep(downMs);
        await named.restart(i);
        noteLeads(named.all[i]!);
      } else {
        const e = etcd.members[i - REPLICAS]!;
        await e.kill();
        await sleep(downMs);
        await e.restart();
      }
    },
    stop: async () => {
      for (const m of members) m.signal("SIGCONT");
      await named.stopAll();
      await closeLinks();
      await etcd.stop();
    },
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
