/**
 * A principal per API caller (docs/security.md, "The 9P gateway and the console"): in front of a
 * keyed named, a console request with `Authorization: Bearer <token>` acts as the token's
 * principal (alice's objects are alice's, bob is refused by the permission bits), one without
 * acts as the console's own token, and with `requireLogin` it is refused. Tokens named refuses,
 * malformed ones and expired ones (even within named's clock skew) are 401.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueToken, parseToken, type Role } from "../../runtime/auth/index.js";
import { FsLib } from "../../runtime/client/index.js";
import type { AuthInfo, ErrorBody, HelloEvent, InfoJson } from "../../servers/console/index.js";
import { startConsole, type ConsoleServer } from "../../servers/console/index.js";
import { startNamed, type Named } from "../../servers/named/index.js";
import { newKey, ring } from "../auth/helpers.js";
import { sigmaIn } from "../cli/run-cli.js";
import { SseClient } from "./sse-client.js";
import { STAND_IN, text } from "./world.js";

describe("console API with bearer tokens", () => {
  const realmKey = newKey();
  const token = (
    user: string,
    role: Role = "user",
    more: { ttlMs?: number; now?: number } = {},
  ): string => issueToken(realmKey.privateKey, { user, realm: "rootrealm", role, ...more });
  let named: Named;
  let con: ConsoleServer;
  let strict: ConsoleServer;
  let carol: FsLib;
  let assets: string;

  /** One API call, as the page makes it, with `token` as bearer if given. */
  const call = async <T>(
    c: ConsoleServer,
    method: "GET" | "POST",
    route: string,
    tok?: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }> => {
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (tok !== undefined) headers["authorization"] = `Bearer ${tok}`;
    const res = await fetch(new URL(route, c.url), {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as T };
  };

  beforeAll(async () => {
    named = await startNamed({ authKeys: ring(realmKey), onRefused: () => {} });
    assets = mkdtempSync(path.join(tmpdir(), "console-assets-"));
    writeFileSync(path.join(assets, "index.html"), STAND_IN);
    const own = { named: named.addr, token: token("operator"), assetsDir: assets };
    con = await startConsole(own);
    strict = await startConsole({ ...own, requireLogin: true });
    carol = await FsLib.connect({ named: named.addr, token: token("carol") });
  });
  afterAll(async () => {
    await carol?.close();
    await con?.close();
    await strict?.close();
    await named?.close();
    if (assets !== undefined) rmSync(assets, { recursive: true, force: true });
  });

  it("/api/info names the request's principal", async () => {
    const mine = await call<InfoJson>(con, "GET", "/api/info");
    expect(mine.body.auth).toEqual({
      mode: "none",
      principal: "console",
      loginPath: "/api/login",
    });
    const alice = token("alice");
    const alices = await call<InfoJson>(con, "GET", "/api/info", alice);
    expect(alices.body.auth).toEqual({
      mode: "token",
      principal: "alice",
      loginPath: "/api/login",
      token: {
        user: "alice",
        realm: "rootrealm",
        role: "user",
        expires: parseToken(alice).claims.exp * 1000,
      },
    });
    expect(alices.body.readOnly).toBe(false);
    const reader = await call<InfoJson>(con, "GET", "/api/info", token("rita", "readonly"));
    expect(reader.body.readOnly).toBe(true);
  });

  it("alice's objects are alice's; bob can neither change nor remove them", async () => {
    const alice = token("alice");
    const bob = token("bob");
    const made = await call(con, "POST", "/api/create", alice, {
      path: "name/tmp/alice-dir",
      kind: "dir",
    });
    expect(made.status).toBe(200);
    const file = { path: "name/tmp/alice-dir/notes", kind: "file", content: "alice's notes" };
    expect((await call(con, "POST", "/api/create", alice, file)).status).toBe(200);
    expect((await carol.stat("name/tmp/alice-dir")).uid).toBe("alice");
    expect((await carol.stat("name/tmp/alice-dir/notes")).uid).toBe("alice");

    const rm = await call<ErrorBody>(con, "POST", "/api/remove", bob, {
      path: "name/tmp/alice-dir/notes",
    });
    expect(rm.status).toBe(403);
    expect(rm.body.error.name).toBe("Perm");
    const st = await carol.stat("name/tmp/alice-dir/notes");
    const put = await fetch(new URL("/api/file", con.url), {
      method: "PUT",
      headers: { "content-type": "application/json", authorization: `Bearer ${bob}` },
      body: JSON.stringify({
        path: "name/tmp/alice-dir/notes",
        version: st.qid.version,
        content: "bob",
      }),
    });
    expect(put.status).toBe(403);
    const intrude = { path: "name/tmp/alice-dir/bobs", kind: "file", content: "x" };
    expect((await call(con, "POST", "/api/create", bob, intrude)).status).toBe(403);
    expect(text(await carol.getFile("name/tmp/alice-dir/notes"))).toBe("alice's notes");
    expect((await carol.stat("name/tmp/alice-dir/notes")).qid.version).toBe(st.qid.version);

    // bob reads what others may read.
    const read = await call<{ content: string }>(
      con,
      "GET",
      "/api/file?path=name/tmp/alice-dir/notes",
      bob,
    );
    expect(read.body.content).toBe("alice's notes");
  });

  it("a token never shares the console's watch of a directory it may not read", async () => {
    const operator = await FsLib.connect({ named: named.addr, token: token("operator") });
    const sse = await SseClient.open(new URL("/api/events", con.url).href);
    try {
      await operator.mkDir("name/tmp/ops-only", 0o700);
      const stream = (await sse.next<HelloEvent>("hello")).stream;
      const watch = { stream, path: "name/tmp/ops-only", on: true };
      expect((await call(con, "POST", "/api/watch", undefined, watch)).status).toBe(200);
      // A user named like the console's own principal gets a watcher of its own, and is refused.
      const same = await call<ErrorBody>(con, "POST", "/api/watch", token("console"), watch);
      expect(same.status).toBe(403);
      expect(same.body.error.name).toBe("Perm");
    } finally {
      sse.close();
      await operator.close();
    }
  });

  it("a readonly token cannot change anything", async () => {
    const r = await call<ErrorBody>(con, "POST", "/api/create", token("rita", "readonly"), {
      path: "name/tmp/ritas",
      kind: "file",
    });
    expect(r.status).toBe(403);
    await expect(carol.stat("name/tmp/ritas")).rejects.toThrow(/not found/);
  });

  it("refused, malformed and expired tokens are 401", async () => {
    const stranger = issueToken(newKey().privateKey, { user: "eve", realm: "rootrealm" });
    const refused = await call<ErrorBody>(con, "GET", "/api/info", stranger);
    expect(refused.status).toBe(401);
    expect(refused.body.error.name).toBe("Unauthorized");
    const junk = await call<ErrorBody>(con, "GET", "/api/info", "not-a-token");
    expect(junk.status).toBe(401);
    expect(junk.body.error.message).toMatch(/^token refused: /);
    // Expired two seconds ago: named still takes it (60 s of skew), the console does not.
    const late = token("alice", "user", { now: Date.now() - 3000, ttlMs: 1000 });
    const expired = await call<ErrorBody>(con, "GET", "/api/info", late);
    expect(expired.status).toBe(401);
    expect(expired.body.error.message).toBe("token refused: expired");
    const basic = await fetch(new URL("/api/info", con.url), {
      headers: { authorization: "Basic YWxpY2U6c2VjcmV0" },
    });
    expect(basic.status).toBe(401);
  });

  it("POST /api/login answers who a token is; without one it says how to log in", async () => {
    const rita = token("rita", "readonly");
    const r = await call<AuthInfo>(con, "POST", "/api/login", rita, {});
    expect(r).toEqual({
      status: 200,
      body: {
        mode: "token",
        principal: "rita",
        loginPath: "/api/login",
        token: {
          user: "rita",
          realm: "rootrealm",
          role: "readonly",
          expires: parseToken(rita).claims.exp * 1000,
        },
      },
    });
    const none = await call<ErrorBody>(con, "POST", "/api/login", undefined, {});
    expect(none.status).toBe(400);
    expect(none.body.error).toEqual({
      name: "NoToken",
      code: 0,
      obj: "",
      message: "send the sigma token as Authorization: Bearer <token> to log in",
    });
    const stranger = issueToken(newKey().privateKey, { user: "eve", realm: "rootrealm" });
    const refused = await call<ErrorBody>(con, "POST", "/api/login", stranger, {});
    expect(refused.status).toBe(401);
    expect(refused.body.error.name).toBe("Unauthorized");
  });

  it("a token's event stream ends when the token expires, and cannot be reopened", async () => {
    const brief = token("alice", "user", { ttlMs: 2000 }); // exp: 1 to 2 s from now
    const sse = await SseClient.open(new URL("/api/events", con.url).href, brief);
    await sse.next<HelloEvent>("hello");
    await sse.done; // the console ended it at the token's exp
    expect(Date.now()).toBeGreaterThanOrEqual(parseToken(brief).claims.exp * 1000);
    const again = await call<ErrorBody>(con, "GET", "/api/events", brief);
    expect(again.status).toBe(401);
    expect(again.body.error.message).toBe("token refused: expired");
  });

  it("with requireLogin a request without a token is 401; with one it is served", async () => {
    const anon = await fetch(new URL("/api/info", strict.url));
    expect(anon.status).toBe(401);
    expect(anon.headers.get("www-authenticate")).toBe('Bearer realm="sigma console"');
    expect(await anon.json()).toEqual({
      error: {
        name: "NotLoggedIn",
        code: 0,
        obj: "",
        message: "log in first: send Authorization: Bearer <sigma token>",
      },
      loginPath: "/api/login",
    });
    const alices = await call<InfoJson>(strict, "GET", "/api/info", token("alice"));
    expect(alices.status).toBe(200);
    expect(alices.body.auth.principal).toBe("alice");
  });

  it("sigma console --require-login off loopback needs HTTPS, in one line", async () => {
    const args = ["console", "--listen", "0.0.0.0:0", "--named", named.addr, "--require-login"];
    expect(await sigmaIn(args)).toEqual({
      code: 64,
      stdout: "",
      stderr:
        "sigma: console: refusing to take tokens on 0.0.0.0 without TLS (give --tls-cert and --tls-key, or --insecure)\n",
    });
  });
});
