/**
 * bearerAuth's bookkeeping, on real FsLibs to a keyed named and a clock of the test's own: one
 * FsLib per token, reused; the least recently used closed past `max`; an idle one closed by
 * closeIdle, unless held (an open event stream); an expired token refused and its FsLib closed;
 * a refused connect not kept.
 */
import type { IncomingMessage } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ErrCode } from "../../generated/sigmap/types.js";
import { issueToken, parseToken } from "../../runtime/auth/index.js";
import { FsLib } from "../../runtime/client/index.js";
import { isErr } from "../../runtime/errors/index.js";
import { bearerAuth, type BearerAuth } from "../../servers/console/bearer-auth.js";
import { startNamed, type Named } from "../../servers/named/index.js";
import { newKey, ring } from "../auth/helpers.js";

const req = (token: string): IncomingMessage =>
  ({ headers: { authorization: `Bearer ${token}` } }) as unknown as IncomingMessage;

describe("bearerAuth", () => {
  const realmKey = newKey();
  let named: Named;
  let clock = Date.now();
  const opened: FsLib[] = [];
  let auth: BearerAuth;
  const token = (user: string, ttlMs = 3_600_000): string =>
    issueToken(realmKey.privateKey, { user, realm: "rootrealm", ttlMs, now: clock });

  beforeAll(async () => {
    named = await startNamed({ authKeys: ring(realmKey), onRefused: () => {} });
    auth = bearerAuth({
      connect: async (t) => {
        const fsl = await FsLib.connect({ named: named.addr, token: t });
        opened.push(fsl);
        return fsl;
      },
      fallback: null,
      idleMs: 60_000,
      max: 2,
      now: () => clock,
    });
  });
  afterAll(async () => {
    await auth?.close();
    await named?.close();
  });

  /** Whether `fsl` was closed: its calls fail with SessClosed. */
  const isClosed = async (fsl: FsLib): Promise<boolean> => {
    const e = await fsl.stat("name/").then(
      () => null,
      (err: unknown) => err,
    );
    return e !== null && isErr(e, ErrCode.SessClosed);
  };

  it("reuses a token's FsLib and closes the least recently used past max", async () => {
    const a = token("alice");
    const b = token("bob");
    const c = token("carol");
    const pa = await auth.principal(req(a));
    expect(pa?.name).toBe("alice");
    expect((await auth.principal(req(a)))?.fsl).toBe(pa?.fsl);
    const pb = await auth.principal(req(b));
    await auth.principal(req(a)); // alice is now the most recent
    await auth.principal(req(c));
    expect(auth.size()).toBe(2);
    expect(opened.length).toBe(3);
    expect(await isClosed(pb!.fsl)).toBe(true);
    expect(await isClosed(pa!.fsl)).toBe(false);
  });

  it("closeIdle closes what was not used for idleMs; an expired token is refused", async () => {
    const d = token("dave", 120_000);
    const pd = await auth.principal(req(d));
    clock += 61_000;
    await auth.principal(req(d)); // dave was used; alice and carol were not
    auth.closeIdle();
    expect(auth.size()).toBe(1);
    clock += 60_000; // dave's token has ended
    await expect(auth.principal(req(d))).rejects.toThrow("token refused: expired");
    expect(auth.size()).toBe(0);
    expect(await isClosed(pd!.fsl)).toBe(true);
  });

  it("a held token is not idle; released, it idles from then; expired, its holder ends", async () => {
    // Issued on the real clock (the test's has run ahead): named checks nbf by its own.
    const e = issueToken(realmKey.privateKey, { user: "erin", realm: "rootrealm" });
    const pe = await auth.principal(req(e));
    expect(pe?.token).toEqual({
      user: "erin",
      realm: "rootrealm",
      role: "user",
      expires: parseToken(e).claims.exp * 1000,
    });
    expect(auth.size()).toBe(1);
    let ended = 0;
    const release = pe!.hold!(() => ended++);
    clock += 120_000;
    auth.closeIdle();
    expect(auth.size()).toBe(1);
    release();
    release(); // a second release is nothing
    clock += 59_000;
    auth.closeIdle();
    expect(auth.size()).toBe(1);
    expect(await isClosed(pe!.fsl)).toBe(false);
    clock += 1_000;
    auth.closeIdle();
    expect(auth.size()).toBe(0);
    await expect.poll(() => isClosed(pe!.fsl)).toBe(true);
    expect(ended).toBe(0); // released before: nothing to end

    // Held past its expiry: the session is closed anyway, and the holder told to end.
    const f = issueToken(realmKey.privateKey, { user: "fay", realm: "rootrealm", ttlMs: 600_000 });
    const pf = await auth.principal(req(f));
    pf!.hold!(() => ended++);
    clock = Date.now() + 600_000;
    auth.closeIdle();
    expect(ended).toBe(1);
    expect(auth.size()).toBe(0);
  });

  it("a token named refuses is not kept", async () => {
    const stranger = issueToken(newKey().privateKey, {
      user: "eve",
      realm: "rootrealm",
      now: clock,
    });
    const e = await auth.principal(req(stranger)).catch((err: unknown) => err);
    expect(isErr(e, ErrCode.Unauthorized)).toBe(true);
    expect(auth.size()).toBe(0);
  });
});
