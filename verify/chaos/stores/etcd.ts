/**
 * The etcd store: a three-member etcd cluster (tests/support/etcd.ts) and three `sigma named
 * --etcd` replicas with a 1 s election lease (tests/named-etcd/replicas.ts). Faults target both
 * kinds; a killed replica or member is started again on the same address and data.
 */
import { startEtcd, type EtcdMember } from "../../../tests/support/etcd.js";
import { Replicas } from "../../../tests/named-etcd/replicas.js";
import type { Member, RunningStore } from "../store.js";

const REPLICAS = 3;

export async function startEtcdStore(): Promise<RunningStore> {
  const etcd = await startEtcd(3);
  const named = new Replicas(etcd.endpoints, 1000);
  try {
    await named.start(REPLICAS);
    await named.leader();
  } catch (e) {
    await named.stopAll();
    await etcd.stop();
    throw e;
  }
  const replica = (i: number): Member => ({
    name: `named-${i}`,
    kind: "named",
    signal: (sig) => {
      const p = named.all[i]!.proc;
      if (p.exitCode === null && p.signalCode === null) p.kill(sig);
    },
    leading: () => named.all[i]!.leading,
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
    restart: async (m, downMs) => {
      const i = members.indexOf(m);
      if (m.kind === "named") {
        await named.kill(named.all[i]!);
        await sleep(downMs);
        await named.restart(i);
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
      await etcd.stop();
    },
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
