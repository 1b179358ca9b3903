/** Key files: what keygen writes, what issuers and servers accept, and each refusal. */
import { generateKeyPairSync } from "node:crypto";
import { mkdtemp, readFile, rm, stat, writeFile, chmod } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  issueToken,
  KeyFileError,
  loadAuthKeys,
  readSigningKey,
  verifyToken,
  writeKeyPair,
} from "../../runtime/auth/index.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "sigma-keys-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const mode = async (f: string): Promise<number> => (await stat(f)).mode & 0o777;

describe("writeKeyPair", () => {
  it("writes the private key 0600 and the public key 0644, and reports the key id", async () => {
    const prefix = path.join(dir, "a");
    const k = await writeKeyPair(prefix);
    expect(k).toEqual({ privateFile: prefix, publicFile: `${prefix}.pub`, kid: k.kid });
    expect(k.kid).toMatch(/^[0-9a-f]{16}$/);
    expect(await mode(prefix)).toBe(0o600);
    expect(await mode(`${prefix}.pub`)).toBe(0o644);
    expect(await readFile(prefix, "utf8")).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(await readFile(`${prefix}.pub`, "utf8")).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    const keys = await loadAuthKeys(`${prefix}.pub`);
    expect(keys.ids()).toEqual([k.kid]);
    const t = issueToken(await readSigningKey(prefix), { user: "u", realm: "r" });
    expect(verifyToken(t, keys, { realm: "r" }).claims.kid).toBe(k.kid);
  });

  it("keeps existing files unless forced, and a forced key is a new one", async () => {
    const prefix = path.join(dir, "b");
    const first = await writeKeyPair(prefix);
    const before = await readFile(prefix, "utf8");
    await expect(writeKeyPair(prefix)).rejects.toThrow(
      `${prefix}: exists (use --force to replace it)`,
    );
    expect(await readFile(prefix, "utf8")).toBe(before);
    const second = await writeKeyPair(prefix, { force: true });
    expect(second.kid).not.toBe(first.kid);
    expect(await mode(prefix)).toBe(0o600);
  });
});

describe("readSigningKey", () => {
  it("refuses a private key others may read, as ssh does", async () => {
    const prefix = path.join(dir, "c");
    await writeKeyPair(prefix);
    await chmod(prefix, 0o640);
    await expect(readSigningKey(prefix)).rejects.toThrow(
      `${prefix}: private key is accessible by group or others (mode 0640); chmod 600 it`,
    );
  });

  it("refuses a missing file, a public key and a key of another type", async () => {
    await expect(readSigningKey(path.join(dir, "none"))).rejects.toBeInstanceOf(KeyFileError);
    const pubOnly = path.join(dir, "d");
    await writeKeyPair(pubOnly);
    const pub = path.join(dir, "d-copy");
    await writeFile(pub, await readFile(`${pubOnly}.pub`), { mode: 0o600 });
    await expect(readSigningKey(pub)).rejects.toThrow(`${pub}: not a PEM private key`);
    const ec = path.join(dir, "ec");
    const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    await writeFile(ec, privateKey.export({ type: "pkcs8", format: "pem" }), { mode: 0o600 });
    await expect(readSigningKey(ec)).rejects.toThrow(`${ec}: not an Ed25519 key (ec)`);
  });
});

describe("loadAuthKeys", () => {
  it("accepts a comma-separated list and files holding several keys", async () => {
    const [x, y, z] = await Promise.all(
      ["x", "y", "z"].map((n) => writeKeyPair(path.join(dir, n))),
    );
    const bundle = path.join(dir, "bundle.pub");
    const texts = await Promise.all([y, z].map((k) => readFile(k!.publicFile, "utf8")));
    await writeFile(bundle, texts.join("\n"));
    const ring = await loadAuthKeys(`${x!.publicFile}, ${bundle}`);
    expect(ring.ids()).toEqual([x!.kid, y!.kid, z!.kid].sort());
    expect((await loadAuthKeys([x!.publicFile])).size).toBe(1);
  });

  it("refuses a private key, a file without keys, an empty entry and a missing file", async () => {
    const k = await writeKeyPair(path.join(dir, "p"));
    await expect(loadAuthKeys(k.privateFile)).rejects.toThrow(
      `${k.privateFile}: holds a private key; give servers the .pub file only`,
    );
    const empty = path.join(dir, "empty.pub");
    await writeFile(empty, "nothing here\n");
    await expect(loadAuthKeys(empty)).rejects.toThrow(`${empty}: no PEM public key in it`);
    await expect(loadAuthKeys(`${k.publicFile},`)).rejects.toThrow("expected FILE[,FILE...]");
    await expect(loadAuthKeys("")).rejects.toThrow("expected FILE[,FILE...]");
    await expect(loadAuthKeys(path.join(dir, "missing.pub"))).rejects.toThrow(
      /missing\.pub: ENOENT/,
    );
  });

  it("refuses a public key of another type", async () => {
    const f = path.join(dir, "rsa.pub");
    const { publicKey } = generateKeyPairSync("rsa", { modulusLength: 1024 });
    await writeFile(f, publicKey.export({ type: "spki", format: "pem" }));
    await expect(loadAuthKeys(f)).rejects.toThrow(`${f}: not an Ed25519 key (rsa)`);
  });
});
