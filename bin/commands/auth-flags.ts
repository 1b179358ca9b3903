/**
 * The auth flags of the `sigma` commands (docs/security.md): servers take `--auth-keys
 * FILE[,FILE]`, `--insecure`, `--tls-cert` and `--tls-key`; clients take `--token` (default
 * $SIGMA_TOKEN) and `--tls-ca` (default $SIGMA_TLS_CA).
 */
import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import type { TlsServerConfig } from "../../runtime/net/tls.js";
import { loadAuthKeys, type KeyRing } from "../../runtime/auth/index.js";
import { errorText } from "../../runtime/errors/index.js";
import { CliError } from "./cli-errors.js";
import { EXIT } from "./exit-codes.js";

export interface ServerAuthFlags {
  authKeys?: string;
  insecure?: boolean;
  tlsCert?: string;
  tlsKey?: string;
}

export function serverAuthOptions(cmd: Command): Command {
  return cmd
    .option(
      "--auth-keys <files>",
      "public key files (comma-separated): require a token in every hello",
    )
    .option("--insecure", "serve a non-loopback address without authentication")
    .option("--tls-cert <file>", "serve TLS with this certificate (PEM; with --tls-key)")
    .option("--tls-key <file>", "the TLS certificate's private key (PEM)");
}

/** `--tls-cert` and `--tls-key` read, or undefined; one without the other is a usage error. */
export async function loadServerTls(flags: ServerAuthFlags): Promise<TlsServerConfig | undefined> {
  if (flags.tlsCert === undefined && flags.tlsKey === undefined) return undefined;
  if (flags.tlsCert === undefined || flags.tlsKey === undefined) {
    throw new CliError("--tls-cert and --tls-key go together", EXIT.usage);
  }
  try {
    return { cert: await readFile(flags.tlsCert), key: await readFile(flags.tlsKey) };
  } catch (e) {
    throw new CliError(`--tls-cert/--tls-key: ${errorText(e)}`, EXIT.usage);
  }
}

/** `--tls-ca`, else $SIGMA_TLS_CA: the CA file a client trusts, read; undefined: plain TCP. */
export async function clientTlsCa(flags: { tlsCa?: string }): Promise<Buffer | undefined> {
  const file = flags.tlsCa ?? process.env["SIGMA_TLS_CA"];
  if (file === undefined || file === "") return undefined;
  try {
    return await readFile(file);
  } catch (e) {
    throw new CliError(`--tls-ca ${file}: ${errorText(e)}`, EXIT.usage);
  }
}

/** The key ring of `--auth-keys`, or undefined (open). A bad file: a usage error naming it. */
export async function loadServerKeys(flags: ServerAuthFlags): Promise<KeyRing | undefined> {
  if (flags.authKeys === undefined) return undefined;
  const files = flags.authKeys
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  if (files.length === 0) throw new CliError("--auth-keys: no file given", EXIT.usage);
  try {
    return await loadAuthKeys(files);
  } catch (e) {
    throw new CliError(`--auth-keys: ${errorText(e)}`, EXIT.usage);
  }
}

/** `--token`, else $SIGMA_TOKEN, else none. */
export function clientToken(flags: { token?: string }): string | undefined {
  const t = flags.token ?? process.env["SIGMA_TOKEN"];
  return t === undefined || t === "" ? undefined : t.trim();
}
