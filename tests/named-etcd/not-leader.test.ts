/**
 * A named replica that does not lead listens on its address and refuses every hello with
 * Unreachable, saying it is not the leader and which replica is (servers/named/not-leader.ts):
 * a client listing the follower first connects through the leader, a resume is refused the same
 * way (so a session keeps trying the other addresses rather than closing), and the CLI says why.
 */
import { describe, expect, it } from "vitest";
import { FsLib } from "../../runtime/client/fslib/fslib.js";
import { ErrCode } from "../../generated/sigmap/types.js";
import { isSigmaError, type SigmaError } from "../../runtime/errors/index.js";
import { dial } from "../../runtime/net/index.js";
import { needingEtcd } from "../support/needs-tool.js";
import { sigmaIn } from "../cli/run-cli.js";
import { etcdWorld } from "./etcd-world.js";
import type { Replica } from "../../devtools/replicas.js";

const { title, missing } = needingEtcd(
  "named on etcd: a follower answers that it is not the leader",
);
const enc = new TextEncoder();
const dec = new TextDecoder();

describe.skipIf(missing)(title, () => {
  const w = etcdWorld({ members: 1, replicas: 2 });

  const roles = async (): Promise<{ leader: Replica; follower: Replica }> => {
    const leader = await w.named.leader();
    const follower = w.named.all.find((r) => r !== leader)!;
    // Printed once its address refuses hellos and it has read who leads.
    await follower.printed(new RegExp(` following \\(the leader is ${leader.addr}\\)`));
    return { leader, follower };
  };

  /** A raw hello to `addr`: the refusal it gets (every test expects one). */
  const refusal = async (addr: string, resume: boolean): Promise<SigmaError> => {
    try {
      const conn = await dial(addr, {
        client: 11n,
        session: 0x5e55n,
        resume,
        sessionKey: new Uint8Array(16).fill(3),
        onMessage: () => undefined,
      });
      conn.close("local");
    } catch (e) {
      if (isSigmaError(e)) return e;
      throw e;
    }
    throw new Error(`the hello to ${addr} was accepted`);
  };

  it("a raw hello to the follower is refused: Unreachable, naming the leader", async () => {
    const { leader, follower } = await roles();
    for (const resume of [false, true]) {
      const e = await refusal(follower.addr, resume);
      expect({ code: e.code, obj: e.obj, message: e.message }).toEqual({
        code: ErrCode.Unreachable,
        obj: follower.addr,
        message: `server unreachable: ${follower.addr}: this named replica is not the leader; the leader is ${leader.addr}`,
      });
    }
  });

  it("a client listing [follower, leader] connects through the leader", async () => {
    const { leader, follower } = await roles();
    const c = await FsLib.connect({
      named: [follower.addr, leader.addr],
      localIp: "127.0.0.1",
      uname: "t",
    });
    try {
      await c.putFile("name/tmp/via-leader", 0o644, 0, enc.encode("here"));
      expect(dec.decode(await c.getFile("name/tmp/via-leader"))).toBe("here");
    } finally {
      await c.exit();
    }
  });

  it("the CLI against the follower alone prints one line saying it is not the leader", async () => {
    const { leader, follower } = await roles();
    const r = await sigmaIn(["ls", "--named", follower.addr, "name/"]);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(
      `sigma: ${follower.addr}: server unreachable (this named replica is not the leader; the leader is ${leader.addr})\n`,
    );
    expect(r.code).not.toBe(0);
  });
});
