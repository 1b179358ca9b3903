/**
 * How `sigma named --etcd` and `sigma etcd-setup` reach etcd (docs/named-etcd.md): `--etcd-user`
 * (default $SIGMA_ETCD_USER) with its password in a file (`--etcd-password-file`, default
 * $SIGMA_ETCD_PASSWORD_FILE; never a password on the command line, where `ps` shows it), and
 * `--etcd-ca/--etcd-cert/--etcd-key` for etcd over TLS.
 */
import { readFileSync, statSync } from "node:fs";
import type { Command } from "commander";
import type { EtcdConnection } from "../../runtime/fs-etcd/etcd-client.js";
import { errorText } from "../../runtime/errors/index.js";
import { CliError } from "./cli-errors.js";
import { EXIT } from "./exit-codes.js";

export interface EtcdFlags {
  etcdUser?: string;
  etcdPasswordFile?: string;
  etcdCa?: string;
  etcdCert?: string;
  etcdKey?: string;
}

export function etcdConnectionOptions(cmd: Command): Command {
  return cmd
    .option("--etcd-user <user>", "named's etcd user (default $SIGMA_ETCD_USER)")
    .option(
      "--etcd-password-file <file>",
      "file holding that user's password (default $SIGMA_ETCD_PASSWORD_FILE; mode 0600)",
    )
    .option("--etcd-ca <file>", "etcd over TLS: the CA of etcd's certificate (PEM)")
    .option("--etcd-cert <file>", "etcd over TLS: a client certificate (PEM; with --etcd-key)")
    .option("--etcd-key <file>", "the client certificate's private key (PEM)");
}

/** The connection the flags describe; a usage error names the flag at fault. */
export function etcdConnection(f: EtcdFlags): EtcdConnection {
  const user = f.etcdUser ?? env("SIGMA_ETCD_USER");
  const pwFile = f.etcdPasswordFile ?? env("SIGMA_ETCD_PASSWORD_FILE");
  if ((user === undefined) !== (pwFile === undefined)) {
    throw new CliError(
      "--etcd-user and --etcd-password-file go together (or SIGMA_ETCD_USER and SIGMA_ETCD_PASSWORD_FILE)",
      EXIT.usage,
    );
  }
  const conn: EtcdConnection = {};
  if (user !== undefined && pwFile !== undefined) {
    conn.auth = { username: user, password: readSecret(pwFile, "--etcd-password-file") };
  }
  if ((f.etcdCert === undefined) !== (f.etcdKey === undefined)) {
    throw new CliError("--etcd-cert and --etcd-key go together", EXIT.usage);
  }
  if (f.etcdCert !== undefined && f.etcdCa === undefined) {
    throw new CliError("--etcd-cert needs --etcd-ca", EXIT.usage);
  }
  if (f.etcdCa !== undefined) {
    conn.tls = {
      ca: readPem(f.etcdCa, "--etcd-ca"),
      ...(f.etcdCert === undefined ? {} : { cert: readPem(f.etcdCert, "--etcd-cert") }),
      ...(f.etcdKey === undefined ? {} : { key: readPem(f.etcdKey, "--etcd-key") }),
    };
  }
  return conn;
}

/**
 * A password from `file`, without its trailing newline. Refused if group or others may read it,
 * as for signing keys (runtime/auth/key-files.ts), or if it is empty.
 */
export function readSecret(file: string, flag: string): string {
  let text: string;
  try {
    const mode = statSync(file).mode & 0o777;
    if ((mode & 0o077) !== 0) {
      const m = mode.toString(8).padStart(4, "0");
      throw new Error(`accessible by group or others (mode ${m}); chmod 600 it`);
    }
    text = readFileSync(file, "utf8").replace(/\r?\n$/, "");
  } catch (e) {
    throw new CliError(`${flag} ${file}: ${errorText(e)}`, EXIT.usage);
  }
  if (text === "") throw new CliError(`${flag} ${file}: the file is empty`, EXIT.usage);
  return text;
}

function readPem(file: string, flag: string): Buffer {
  try {
    return readFileSync(file);
  } catch (e) {
    throw new CliError(`${flag} ${file}: ${errorText(e)}`, EXIT.usage);
  }
}

function env(name: string): string | undefined {
  const v = process.env[name];
  return v === undefined || v === "" ? undefined : v;
}
