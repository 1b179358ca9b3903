/**
 * `sigma token keygen|issue|verify`: making keys, issuing tokens, and checking a token the way a
 * server would (docs/security.md). Refusals print one line and exit 1; usage errors exit 64.
 */
import type { Readable } from "node:stream";
import type { Command } from "commander";
import {
  DEFAULT_SKEW_MS,
  isRole,
  isTokenError,
  issueToken,
  KeyFileError,
  loadAuthKeys,
  parseDuration,
  readSigningKey,
  verifyToken,
  writeKeyPair,
} from "../../runtime/auth/index.js";
import { errorText } from "../../runtime/errors/index.js";
import type { Out } from "./fs-commands.js";

interface TokenIo extends Out {
  stdin: Readable;
}

interface IssueFlags {
  key: string;
  user: string;
  realm: string;
  ttl: string;
  role: string;
  notBefore?: string;
}

interface VerifyFlags {
  keys: string;
  realm: string;
  skew?: string;
  json?: boolean;
}

const USAGE = 64;

/** Registers `sigma token` and its subcommands. */
export function registerTokenCommands(
  program: Command,
  setExit: (code: number) => void,
  io: TokenIo,
): void {
  const token = program
    .command("token")
    .description("make signing keys, issue and verify tokens (docs/security.md)");

  token
    .command("keygen")
    .description("write a new Ed25519 key pair: PREFIX (private, mode 0600) and PREFIX.pub")
    .requiredOption("--out <prefix>", "where to write the keys")
    .option("--force", "replace existing key files")
    .action(async (o: { out: string; force?: boolean }) => {
      setExit(
        await reported(io, async () => {
          const k = await writeKeyPair(o.out, { force: o.force === true });
          io.out(
            `wrote ${k.privateFile} (private, keep it secret) and ${k.publicFile}; key id ${k.kid}\n`,
          );
        }),
      );
    });

  token
    .command("issue")
    .description("print a token for USER in REALM, signed with the private key KEYFILE")
    .requiredOption("--key <file>", "the private key (from sigma token keygen)")
    .requiredOption("--user <user>", "who the token names")
    .requiredOption("--realm <realm>", "the realm it is valid in")
    .option("--ttl <duration>", "lifetime, e.g. 90s, 30m, 1h, 7d", "1h")
    .option("--role <role>", "admin, user or readonly", "user")
    .option("--not-before <duration>", "valid only after this delay from now")
    .action(async (o: IssueFlags) => {
      if (!isRole(o.role)) {
        io.err(`sigma: --role ${o.role}: expected admin, user or readonly\n`);
        return setExit(USAGE);
      }
      const role = o.role;
      let ttlMs: number;
      let delayMs: number;
      try {
        ttlMs = parseDuration(o.ttl);
        delayMs = o.notBefore === undefined ? 0 : parseDuration(o.notBefore);
      } catch (e) {
        io.err(`sigma: ${errorText(e)}\n`);
        return setExit(USAGE);
      }
      setExit(
        await reported(io, async () => {
          const key = await readSigningKey(o.key);
          const now = Date.now();
          const t = issueToken(key, {
            user: o.user,
            realm: o.realm,
            role,
            ttlMs,
            notBefore: now + delayMs,
            now,
          });
          io.out(`${t}\n`);
        }),
      );
    });

  token
    .command("verify")
    .description("check TOKEN as a server would; print its claims (- reads it from stdin)")
    .argument("<token>", "the token, or - to read it from stdin")
    .requiredOption("--keys <files>", "public key file(s), FILE[,FILE]")
    .requiredOption("--realm <realm>", "the realm the server serves")
    .option("--skew <duration>", `clock-skew tolerance (default ${DEFAULT_SKEW_MS / 1000}s)`)
    .option("--json", "print the claims as JSON")
    .action(async (text: string, o: VerifyFlags) => {
      let skewMs: number | undefined;
      try {
        skewMs = o.skew === undefined ? undefined : parseDuration(o.skew);
      } catch (e) {
        io.err(`sigma: ${errorText(e)}\n`);
        return setExit(USAGE);
      }
      setExit(
        await reported(io, async () => {
          const tok = text === "-" ? (await readAll(io.stdin)).trim() : text;
          const keys = await loadAuthKeys(o.keys);
          const { claims } = verifyToken(tok, keys, { realm: o.realm, skewMs });
          const until = new Date(claims.exp * 1000).toISOString();
          io.out(
            o.json === true
              ? `${JSON.stringify(claims)}\n`
              : `valid: user ${claims.user}, realm ${claims.realm}, role ${claims.role}, key ${claims.kid}, until ${until}\n`,
          );
        }),
      );
    });
}

/** Runs `fn`; a refused token, a bad key file or bad input is one line and exit 1. */
async function reported(io: Out, fn: () => Promise<void>): Promise<number> {
  try {
    await fn();
    return 0;
  } catch (e) {
    if (isTokenError(e) || e instanceof KeyFileError || e instanceof RangeError) {
      io.err(`sigma: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}

async function readAll(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c as Uint8Array));
  return Buffer.concat(chunks).toString("utf8");
}
