/**
 * Key files, as `sigma token keygen` writes them and servers and issuers read them: the private
 * key as PKCS#8 PEM in PREFIX (mode 0600), the public key as SPKI PEM in PREFIX.pub. A public-key
 * file may hold several `PUBLIC KEY` blocks; `--auth-keys` takes a comma-separated list of files,
 * and every key in them is accepted (rotation).
 *
 * Refusals are KeyFileError naming the file: a private key readable by group or others (as ssh
 * refuses one), a private key where public keys are expected (servers must never hold one), a key
 * that is not Ed25519, an empty list.
 */
import {
  randomBytes,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from "node:crypto";
import { open, readFile, rename, rm, stat } from "node:fs/promises";
import { errorText } from "../errors/index.js";
import { keyId } from "./key-id.js";
import { KeyRing } from "./key-ring.js";

/** A key file that cannot be used, and why. */
export class KeyFileError extends Error {
  readonly file: string;

  constructor(file: string, why: string) {
    super(`${file}: ${why}`);
    this.name = "KeyFileError";
    this.file = file;
  }
}

/** What keygen wrote. */
export interface WrittenKeyPair {
  privateFile: string;
  publicFile: string;
  kid: string;
}

const PUBLIC_BLOCK_RE = /-----BEGIN PUBLIC KEY-----[\s\S]*?-----END PUBLIC KEY-----/g;
const PRIVATE_RE = /-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----/;

/**
 * Makes a new Ed25519 key pair and writes PREFIX (0600) and PREFIX.pub (0644). Existing files are
 * kept (Exists-like KeyFileError) unless `force`; then each is replaced by a rename, so a reader
 * never sees half a key.
 */
export async function writeKeyPair(
  prefix: string,
  opts: { force?: boolean } = {},
): Promise<WrittenKeyPair> {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const privatePem = privateKey.export({ type: "pkcs8", format: "pem" }) as string;
  const publicPem = publicKey.export({ type: "spki", format: "pem" }) as string;
  const publicFile = `${prefix}.pub`;
  if (opts.force !== true) {
    for (const f of [prefix, publicFile]) {
      if (await exists(f)) throw new KeyFileError(f, "exists (use --force to replace it)");
    }
  }
  await writeNew(prefix, privatePem, 0o600);
  await writeNew(publicFile, publicPem, 0o644);
  return { privateFile: prefix, publicFile, kid: keyId(publicKey) };
}

/** The private key in `file`, for signing. Refused if group or others may read the file. */
export async function readSigningKey(file: string): Promise<KeyObject> {
  const st = await stat(file).catch((e: unknown) => {
    throw new KeyFileError(file, errorText(e));
  });
  if ((st.mode & 0o077) !== 0) {
    const mode = (st.mode & 0o777).toString(8).padStart(4, "0");
    throw new KeyFileError(
      file,
      `private key is accessible by group or others (mode ${mode}); chmod 600 it`,
    );
  }
  const pem = await readText(file);
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch {
    throw new KeyFileError(file, "not a PEM private key");
  }
  if (key.asymmetricKeyType !== "ed25519") {
    throw new KeyFileError(file, `not an Ed25519 key (${key.asymmetricKeyType ?? "unknown"})`);
  }
  return key;
}

/**
 * The public keys in `files` (an array, or one comma-separated string as `--auth-keys` takes it),
 * each file holding one or more `PUBLIC KEY` blocks.
 */
export async function loadAuthKeys(files: string | readonly string[]): Promise<KeyRing> {
  const list = typeof files === "string" ? files.split(",") : [...files];
  const names = list.map((f) => f.trim());
  if (names.length === 0 || names.some((f) => f === "")) {
    throw new KeyFileError(
      typeof files === "string" ? files : names.join(","),
      "expected FILE[,FILE...]",
    );
  }
  const keys: KeyObject[] = [];
  for (const file of names) keys.push(...parsePublicKeys(file, await readText(file)));
  return new KeyRing(keys);
}

function parsePublicKeys(file: string, text: string): KeyObject[] {
  if (PRIVATE_RE.test(text)) {
    throw new KeyFileError(file, "holds a private key; give servers the .pub file only");
  }
  const blocks = text.match(PUBLIC_BLOCK_RE) ?? [];
  if (blocks.length === 0) throw new KeyFileError(file, "no PEM public key in it");
  return blocks.map((pem) => {
    let key: KeyObject;
    try {
      key = createPublicKey(pem);
    } catch {
      throw new KeyFileError(file, "unreadable PEM public key");
    }
    if (key.asymmetricKeyType !== "ed25519") {
      throw new KeyFileError(file, `not an Ed25519 key (${key.asymmetricKeyType ?? "unknown"})`);
    }
    return key;
  });
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (e) {
    throw new KeyFileError(file, errorText(e));
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}

/** Writes `text` to a fresh private file created with `mode`, then renames it to `file`. */
async function writeNew(file: string, text: string, mode: number): Promise<void> {
  const tmp = `${file}.tmp-${randomBytes(4).toString("hex")}`;
  try {
    const fh = await open(tmp, "wx", mode);
    try {
      await fh.writeFile(text);
      await fh.chmod(mode); // the umask may have taken bits away; 0644 should stay 0644
    } finally {
      await fh.close();
    }
    await rename(tmp, file);
  } catch (e) {
    await rm(tmp, { force: true });
    throw new KeyFileError(file, errorText(e));
  }
}
