/**
 * Renewed tokens (docs/security.md, "procd"): a session keeps working past its first token's end
 * when the client presents a renewed one (`FsLib.setToken`), the resume after a cut included; and
 * procd renews each proc's token over the proc's channel, so a proc that outlives
 * `--proc-token-ttl` still opens sessions as its spawner. named here allows no clock skew, so a
 * token is refused the second its `exp` passes.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ErrCode, Mode } from "../../generated/sigmap/types.js";
import { issueToken } from "../../runtime/auth/index.js";
import { FsLib } from "../../runtime/client/fslib/fslib.js";
import { isErr } from "../../runtime/errors/index.js";
import { makeProc, SigmaClnt, StatusCode } from "../../runtime/proc/index.js";
import type { SessionClosedEvent } from "../../runtime/session/client/client-types.js";
import { startNamed, type Named } from "../../servers/named/index.js";
import { startProcd, type Procd } from "../../servers/procd/index.js";
import { FaultProxy } from "../../devtools/fault-proxy.js";
import { PROCS_DIR, testProcUser } from "../proc/procd-child.js";
import { newKey, ring } from "./helpers.js";

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const dec = (b: Uint8Array): string => new TextDecoder().decode(b);

/** Resolves once `token` is past its end (the clock is what these tests are about). */
function outlived(token: string): Promise<void> {
  const exp = JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString()) as {
    exp: number;
  };
  return new Promise((r) => setTimeout(r, Math.max(0, exp.exp * 1000 - Date.now()) + 200));
}

describe("renewed tokens", () => {
  const realmKey = newKey();
  const procdKey = newKey();
  let named: Named;
  let procd: Procd;
  const token = (user: string, ttlMs: number): string =>
    issueToken(realmKey.privateKey, { user, realm: "rootrealm", ttlMs });

  beforeAll(async () => {
    named = await startNamed({
      authKeys: ring(realmKey, procdKey),
      authSkewMs: 0,
      onRefused: () => {},
    });
    procd = await startProcd({
      named: named.addr,
      kernel: "renew-k1",
      warmPool: 0,
      binDir: PROCS_DIR,
      procUser: testProcUser(),
      authKeys: ring(realmKey),
      client: { token: token("procd-k", 3_600_000), localIp: "127.0.0.1" },
      procTokenKey: procdKey.privateKey,
      procTokenTtlMs: 2000,
    });
  }, 30_000);
  afterAll(async () => {
    await procd?.close();
    await named?.close();
  });

  it("a session resumes after its first token's end with the token setToken gave it", async () => {
    const proxy = await FaultProxy.start({ target: named.addr });
    const first = token("alice", 1000);
    const fsl = await FsLib.connect({ named: proxy.addr, token: first, localIp: "127.0.0.1" });
    const closed: SessionClosedEvent[] = [];
    void (async () => {
      for await (const ev of fsl.sessionEvents()) closed.push(ev);
    })();
    try {
      fsl.setToken(token("alice", 3_600_000));
      await outlived(first);
      proxy.cut();
      await fsl.putFile("name/tmp/renewed", 0o644, Mode.OWRITE, enc("after the cut"));
      expect(dec(await fsl.getFile("name/tmp/renewed"))).toBe("after the cut");
      expect((await fsl.stat("name/tmp/renewed")).uid).toBe("alice");
      expect(proxy.stats.cuts).toBe(1);
      expect(proxy.stats.connections).toBeGreaterThanOrEqual(2);
      expect(closed).toEqual([]);
    } finally {
      await fsl.exit();
      await proxy.close();
    }
  });

  it("without a renewal, the same resume is refused and the session closes", async () => {
    const proxy = await FaultProxy.start({ target: named.addr });
    const first = token("alice", 1000);
    const fsl = await FsLib.connect({ named: proxy.addr, token: first, localIp: "127.0.0.1" });
    try {
      await outlived(first);
      proxy.cut();
      const err = await fsl.getFile("name/tmp/renewed").catch((e: unknown) => e);
      expect(isErr(err, ErrCode.SessClosed) || isErr(err, ErrCode.Unauthorized)).toBe(true);
    } finally {
      await fsl.exit().catch(() => undefined);
      await proxy.close();
    }
  });

  it("setToken refuses a token of another user", () => {
    return FsLib.connect({
      named: named.addr,
      token: token("alice", 60_000),
      localIp: "127.0.0.1",
    }).then(async (fsl) => {
      try {
        expect(() => fsl.setToken(token("bob", 60_000))).toThrow(
          "setToken: the token is for user bob, not alice",
        );
      } finally {
        await fsl.exit();
      }
    });
  });

  it("procd renews a proc's token: past its first token's end the proc opens a session as its spawner", async () => {
    const alice = await SigmaClnt.connect({
      named: named.addr,
      token: token("alice", 3_600_000),
      localIp: "127.0.0.1",
    });
    try {
      await alice.fsl.mkDir("name/tmp/renew-out", 0o755);
      const p = makeProc("outlive-token.ts", ["name/tmp/renew-out"]);
      await alice.procClnt.spawn(p);
      expect(await alice.procClnt.waitExit(p.pid)).toEqual({
        code: StatusCode.OK,
        message: "outlived its first token",
      });
      const file = `name/tmp/renew-out/${p.pid}`;
      expect(dec(await alice.fsl.getFile(file))).toBe("a renewed token");
      expect((await alice.fsl.stat(file)).uid).toBe("alice");
    } finally {
      await alice.close();
    }
  }, 20_000);
});
