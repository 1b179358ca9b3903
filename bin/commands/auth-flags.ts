/**
 * The auth flags of the `sigma` commands (docs/security.md): servers take `--auth-keys
 * FILE[,FILE]` and `--insecure`; clients take `--token` (default $SIGMA_TOKEN). TLS flags are
 * connect.ts's.
 */
import type { Command } from "commander";
import type { KeyRing } from "../../runtime/auth/index.js";
import { errorText } from "../../runtime/errors/index.js";
import { CliError } from "./cli-errors.js";
import { EXIT } from "./exit-codes.js";

export interface ServerAuthFlags {
  authKeys?: string;
  insecure?: boolean;
}

export function serverAuthOptions(cmd: Command): Command {
  return cmd
    .option(
      "--auth-keys <files>",
      "public key files (comma-separated): require a token in every hello",
    )
    .option("--insecure", "serve a non-loopback address without authentication");
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
    // Loaded only by servers given keys: client commands start without the auth room.
    const { loadAuthKeys } = await import("../../runtime/auth/index.js");
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
