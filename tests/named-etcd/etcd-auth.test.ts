/**
 * named's own etcd user (docs/named-etcd.md, "Running it with etcd auth"): `sigma etcd-setup`
 * gives each realm's named a user whose role covers only `/sigma/<realm>/`, and turns etcd's
 * auth on. Then named works as that user (writes, reads, a failover between two replicas); a
 * wrong password, no user, or another realm's user makes `sigma named` exit with one line; and
 * the user can reach no key outside its prefix, checked with etcd3 logged in as that user.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  Etcd3,
  EtcdAuthenticationFailedError,
  EtcdPermissionDeniedError,
  type IOptions,
} from "etcd3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FsLib } from "../../runtime/client/fslib/fslib.js";
import { startEtcdNamed, type EtcdNamed } from "../../servers/named/named-etcd.js";
import { sigmaIn } from "../cli/run-cli.js";
import { freePort, startEtcd, type EtcdCluster } from "../../devtools/etcd.js";
import { needingEtcd } from "../support/needs-tool.js";

const { title, missing } = needingEtcd("named on etcd with its own etcd user");
const enc = new TextEncoder();
const dec = new TextDecoder();
const USERS = { a: "named-a", b: "named-b" } as const;
const PASSWORDS = { a: "pw-of-a", b: "pw-of-b" } as const;

describe.skipIf(missing)(title, () => {
  let etcd: EtcdCluster;
  let dir: string;
  const opened: { close(): unknown }[] = [];
  const file = (name: string, text: string): string => {
    const f = join(dir, name);
    writeFileSync(f, `${text}\n`);
    chmodSync(f, 0o600);
    return f;
  };
  /** etcd3 as `username` (undefined: no login), with no retries that could hide a refusal. */
  const etcdAs = (username?: string, password?: string): Etcd3 => {
    const o: IOptions = { hosts: etcd.endpoints.map((e) => `http://${e}`) };
    if (username !== undefined) o.auth = { username, password: password ?? "" };
    const c = new Etcd3(o);
    opened.push(c);
    return c;
  };
  const replica = async (realm: "a" | "b", port?: number): Promise<EtcdNamed & Leads> => {
    const leads = leadSignal();
    const n = startEtcdNamed({
      etcd: etcd.endpoints,
      host: "127.0.0.1",
      port: port ?? (await freePort()),
      realm,
      leaseMs: 1000,
      etcdConnection: { auth: { username: USERS[realm], password: PASSWORDS[realm] } },
      onRole: (role) => leads.set(role === "leading"),
    });
    opened.push(n);
    return Object.assign(n, leads.api);
  };
  const connect = async (addrs: string[], realm: string): Promise<FsLib> => {
    const c = await FsLib.connect({ named: addrs, localIp: "127.0.0.1", uname: "t", realm });
    opened.push({ close: () => c.exit().catch(() => undefined) });
    return c;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "sigma-etcd-auth-"));
    etcd = await startEtcd(1);
    const root = file("root-pw", "root-secret");
    for (const realm of ["a", "b"] as const) {
      const r = await sigmaIn([
        "etcd-setup",
        "--etcd",
        etcd.endpoints.join(","),
        "--realm",
        realm,
        "--etcd-user",
        USERS[realm],
        "--etcd-password-file",
        file(`pw-${realm}`, PASSWORDS[realm]),
        "--root-password-file",
        root,
      ]);
      expect(r).toEqual({
        code: 0,
        stdout:
          `etcd user ${USERS[realm]}: role sigma-named-${realm}, read and write on /sigma/${realm}/ only; ` +
          `etcd auth ${realm === "a" ? "turned on" : "was already on"}\n`,
        stderr: "",
      });
    }
  }, 60_000);
  afterAll(async () => {
    for (const o of opened.reverse()) await o.close();
    await etcd?.stop();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it("etcd now refuses a client without a user, and root's roles are as set up", async () => {
    await expect(etcdAs().get("/sigma/a/leader").string()).rejects.toThrow(/user name is empty/);
    const root = etcdAs("root", "root-secret");
    const roles = (await root.getRoles()).map((r) => r.name).sort();
    // etcd's built-in root role is not listed.
    expect(roles).toEqual(["sigma-named-a", "sigma-named-b"]);
    expect((await root.user("root").roles()).map((r) => r.name)).toEqual(["root"]);
    const perms = await root.role("sigma-named-a").permissions();
    expect(perms.map((p) => [p.permission, p.range.start.toString()])).toEqual([
      ["Readwrite", "/sigma/a/"],
    ]);
    expect((await root.user(USERS.a).roles()).map((r) => r.name)).toEqual(["sigma-named-a"]);
  });

  it("named as its user writes, reads, and fails over between two replicas", async () => {
    const one = await replica("a");
    const two = await replica("a");
    const first = await Promise.race([
      one.nextLead().then(() => one),
      two.nextLead().then(() => two),
    ]);
    const other = first === one ? two : one;
    const c = await connect([one.addr, two.addr], "a");
    await c.putFile("name/tmp/before", 0o644, 0, enc.encode("kept"));
    expect(dec.decode(await c.getFile("name/tmp/before"))).toBe("kept");
    // Its keys are under its prefix, and etcd says they were written by the leader it elected.
    const asA = etcdAs(USERS.a, PASSWORDS.a);
    expect(await asA.get("/sigma/a/leader").string()).toBe(first.addr);
    expect(await asA.getAll().prefix("/sigma/a/o/").count()).toBeGreaterThan(1);

    const taken = other.nextLead();
    await first.close();
    await taken;
    expect(other.leading).toBe(true);
    const d = await connect([one.addr, two.addr], "a");
    expect(dec.decode(await d.getFile("name/tmp/before"))).toBe("kept");
    await d.putFile("name/tmp/after", 0o644, 0, enc.encode("new"));
    expect(dec.decode(await d.getFile("name/tmp/after"))).toBe("new");
  }, 30_000);

  it("the named user can neither read nor write a key outside its prefix", async () => {
    const asA = etcdAs(USERS.a, PASSWORDS.a);
    await asA.put("/sigma/a/probe").value("mine");
    expect(await asA.get("/sigma/a/probe").string()).toBe("mine");
    for (const key of ["/sigma/b/probe", "/sigma/", "/other", "/sigma/ab/x"]) {
      await expect(asA.put(key).value("x")).rejects.toBeInstanceOf(EtcdPermissionDeniedError);
      await expect(asA.get(key).string()).rejects.toBeInstanceOf(EtcdPermissionDeniedError);
    }
    await expect(asA.delete().prefix("/sigma/")).rejects.toBeInstanceOf(EtcdPermissionDeniedError);
    await expect(asA.getAll().prefix("/").keys()).rejects.toBeInstanceOf(EtcdPermissionDeniedError);
    // Nothing was written outside the prefix (root sees every key).
    const keys = await etcdAs("root", "root-secret").getAll().prefix("/").keys();
    expect(keys.filter((k) => !k.startsWith("/sigma/a/") && !k.startsWith("/sigma/b/"))).toEqual(
      [],
    );
  });

  it("another realm's named runs with its own user and cannot touch this realm's keys", async () => {
    const b = await replica("b");
    await b.nextLead();
    const c = await connect([b.addr], "b");
    await c.putFile("name/tmp/b-file", 0o644, 0, enc.encode("b"));
    const root = etcdAs("root", "root-secret");
    const aBefore = await root.getAll().prefix("/sigma/a/").buffers();
    const asB = etcdAs(USERS.b, PASSWORDS.b);
    expect(await asB.get("/sigma/b/leader").string()).toBe(b.addr);
    await expect(asB.get("/sigma/a/leader").string()).rejects.toBeInstanceOf(
      EtcdPermissionDeniedError,
    );
    await expect(asB.put("/sigma/a/o/0000000000000001").value("x")).rejects.toBeInstanceOf(
      EtcdPermissionDeniedError,
    );
    await expect(asB.delete().prefix("/sigma/a/")).rejects.toBeInstanceOf(
      EtcdPermissionDeniedError,
    );
    expect(await root.getAll().prefix("/sigma/a/").buffers()).toEqual(aBefore);
  }, 30_000);

  it("etcd-setup with a wrong root password, once auth is on, exits in one line", async () => {
    const r = await sigmaIn([
      "etcd-setup",
      "--etcd",
      etcd.endpoints.join(","),
      "--realm",
      "c",
      "--etcd-user",
      "named-c",
      "--etcd-password-file",
      file("pw-c", "pw-of-c"),
      "--root-password-file",
      file("wrong-root", "not-root's"),
    ]);
    expect(r).toEqual({
      code: 1,
      stdout: "",
      stderr: `sigma: etcd-setup: etcd refused etcd user "root": wrong user name or password\n`,
    });
    const root = etcdAs("root", "root-secret");
    expect((await root.getRoles()).map((x) => x.name)).not.toContain("sigma-named-c");
  });

  describe("sigma named refuses to start when etcd refuses its user, in one line", () => {
    const named = (realm: string, extra: string[]): Promise<unknown> =>
      sigmaIn(["named", "--etcd", etcd.endpoints.join(","), "--realm", realm, ...extra]);

    it("a wrong password", async () => {
      const args = ["--etcd-user", USERS.a, "--etcd-password-file", file("wrong", "nope")];
      expect(await named("a", args)).toEqual({
        code: 1,
        stdout: "",
        stderr: `sigma: named: etcd refused etcd user "${USERS.a}": wrong user name or password\n`,
      });
      // And etcd itself says the same to that login.
      await expect(etcdAs(USERS.a, "nope").get("/sigma/a/x").string()).rejects.toBeInstanceOf(
        EtcdAuthenticationFailedError,
      );
    });

    it("no user while etcd's auth is on", async () => {
      expect(await named("a", [])).toEqual({
        code: 1,
        stdout: "",
        stderr:
          "sigma: named: etcd refused no etcd user: its auth is on (give --etcd-user and --etcd-password-file)\n",
      });
    });

    it("another realm's user (its role does not cover this prefix)", async () => {
      const args = ["--etcd-user", USERS.b, "--etcd-password-file", file("pw-b2", PASSWORDS.b)];
      expect(await named("a", args)).toEqual({
        code: 1,
        stdout: "",
        stderr: `sigma: named: etcd refused etcd user "${USERS.b}": permission denied on the keys under /sigma/a/\n`,
      });
    });

    it("from code, a wrong password stops the replica with etcd's refusal, not a retry loop", async () => {
      const n = startEtcdNamed({
        etcd: etcd.endpoints,
        host: "127.0.0.1",
        port: await freePort(),
        realm: "a",
        leaseMs: 1000,
        etcdConnection: { auth: { username: USERS.a, password: "nope" } },
      });
      opened.push(n);
      expect((await n.refused).message).toBe(
        `etcd refused etcd user "${USERS.a}": wrong user name or password`,
      );
      expect(n.leading).toBe(false);
    });

    it("a password file others may read, before etcd is asked", async () => {
      const f = file("loose", PASSWORDS.a);
      chmodSync(f, 0o644);
      const r = (await named("a", ["--etcd-user", USERS.a, "--etcd-password-file", f])) as {
        code: number;
        stderr: string;
      };
      expect(r.code).toBe(64);
      expect(r.stderr).toBe(
        `sigma: --etcd-password-file ${f}: accessible by group or others (mode 0644); chmod 600 it\n`,
      );
    });
  });
});

interface Leads {
  /** Resolves once it leads (at once if it does now). */
  nextLead(): Promise<void>;
}

function leadSignal(): { set(leading: boolean): void; api: Leads } {
  let waiters: (() => void)[] = [];
  let now = false;
  return {
    set(leading) {
      now = leading;
      if (!leading) return;
      const w = waiters;
      waiters = [];
      for (const f of w) f();
    },
    api: {
      nextLead: () =>
        now ? Promise.resolve() : new Promise<void>((resolve) => waiters.push(resolve)),
    },
  };
}
