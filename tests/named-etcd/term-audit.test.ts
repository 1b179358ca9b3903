/**
 * The term audit (term-audit.ts) has teeth: a leader SIGSTOPped past its lease while the next
 * leader writes, then continued and asked to create a file, is audited clean, and with the
 * planted bug `fence-off` (its transactions stop comparing its fence, runtime/failpoints.ts) the
 * audit names the revision it wrote under its old fence inside the next leader's term.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FsLib } from "../../runtime/client/fslib/fslib.js";
import { startEtcd, type EtcdCluster } from "../../devtools/etcd.js";
import { Replicas, type Replica } from "../../devtools/replicas.js";
import { needingEtcd } from "../support/needs-tool.js";
import { TermAudit } from "./term-audit.js";

const { title, missing } = needingEtcd("named on etcd: the term audit");
const enc = new TextEncoder();
const PREFIX = "/sigma/rootrealm/";

function fenceOf(r: Replica): number {
  const m = /fence revision (\d+)/.exec(r.out.find((l) => / leading \(/.test(l)) ?? "");
  if (m === null) throw new Error(`${r.addr} said no fence`);
  return Number(m[1]);
}

describe.skipIf(missing)(title, () => {
  let etcd: EtcdCluster;
  const clients: FsLib[] = [];

  beforeAll(async () => {
    etcd = await startEtcd(1);
  }, 60_000);
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.exit().catch(() => undefined)));
    await etcd?.stop();
  });

  const connect = async (addr: string): Promise<FsLib> => {
    const c = await FsLib.connect({ named: [addr], localIp: "127.0.0.1", uname: "t" });
    clients.push(c);
    return c;
  };

  /** The scenario on fresh replicas with `failpoints`; the audit and both leaders' fences. */
  const depose = async (
    failpoints: string,
    file: string,
  ): Promise<{ audit: TermAudit; old: number; next: number }> => {
    const named = new Replicas(etcd.endpoints, 1000, {
      ...process.env,
      SIGMA_FAILPOINTS: failpoints,
    });
    try {
      await named.start(2);
      const old = await named.leader();
      const audit = await TermAudit.start(etcd.client(), PREFIX);
      const c = await connect(old.addr);
      await c.putFile(file, 0o644, 0, enc.encode("v1"));
      named.pause(old);
      const next = await named.leader();
      const d = await connect(next.addr);
      await d.putFile(file, 0o644, 0, enc.encode("v2"));
      named.resume(old);
      await c.putFile(`${file}-old`, 0o644, 0, enc.encode("late")).catch(() => undefined);
      await audit.finish();
      return { audit, old: fenceOf(old), next: fenceOf(next) };
    } finally {
      await named.stopAll();
    }
  };

  it("without failpoints: every revision is the leader's of the moment", async () => {
    const { audit, old, next } = await depose("", "name/tmp/audit-clean");
    expect(audit.violations).toEqual([]);
    expect(audit.fences).toEqual([next]);
    expect(audit.writesOf(old).length).toBeGreaterThan(0);
    expect(audit.writesOf(next).length).toBeGreaterThan(0);
    expect(audit.writesOf(old, next)).toEqual([]);
  }, 30_000);

  it("fence-off: the continued old leader's write is named, in the next leader's term", async () => {
    const { audit, old, next } = await depose("fence-off", "name/tmp/audit-unfenced");
    const late = audit.writesOf(old, next);
    expect(late.length).toBeGreaterThan(0);
    expect(audit.violations).toContain(
      `revision ${late[0]!}: written under fence ${old} while the leader's fence was ${next}`,
    );
  }, 30_000);
});
