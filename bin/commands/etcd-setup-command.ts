/**
 * `sigma etcd-setup`: gives one realm's named its own etcd user (docs/named-etcd.md, "Running it
 * with etcd auth"): a role with read and write on `/sigma/<realm>/` only, the user with just that
 * role, and etcd's auth on (with a `root` user, which etcd requires). Run once per realm; run
 * again to change the password. Passwords come from files only.
 */
import type { Command } from "commander";
import { errorText } from "../../runtime/errors/index.js";
import { CliError } from "./cli-errors.js";
import type { Out, SetExit } from "./cli-io.js";
import { etcdConnection, etcdConnectionOptions, readSecret, type EtcdFlags } from "./etcd-flags.js";
import { EXIT } from "./exit-codes.js";

interface SetupFlags extends EtcdFlags {
  etcd: string;
  realm: string;
  rootPasswordFile: string;
}

export function registerEtcdSetupCommand(program: Command, setExit: SetExit, io: Out): void {
  etcdConnectionOptions(
    program
      .command("etcd-setup")
      .description("create named's own etcd user and role for one realm, and turn etcd auth on")
      .requiredOption("--etcd <endpoints>", "etcd client endpoints: host:port[,host:port...]")
      .option("--realm <realm>", "the realm whose key prefix the user gets", "rootrealm")
      .requiredOption(
        "--root-password-file <file>",
        "etcd's root password (created with it if auth is off; mode 0600)",
      ),
  ).action(async (o: SetupFlags) => {
    // Loaded only here: etcd's client (gRPC) would slow every other sigma command's start.
    const { parseEndpoints } = await import("../../runtime/fs-etcd/etcd-client.js");
    const { setupNamedUser } = await import("../../runtime/fs-etcd/etcd-user.js");
    let endpoints: string[];
    try {
      endpoints = parseEndpoints(o.etcd);
    } catch (e) {
      throw new CliError(`--etcd: ${errorText(e)}`, EXIT.usage);
    }
    const conn = etcdConnection(o);
    if (conn.auth === undefined) {
      throw new CliError(
        "etcd-setup needs --etcd-user and --etcd-password-file (the user to create)",
        EXIT.usage,
      );
    }
    const rootPassword = readSecret(o.rootPasswordFile, "--root-password-file");
    let r;
    try {
      r = await setupNamedUser({
        endpoints,
        ...(conn.tls === undefined ? {} : { tls: conn.tls }),
        realm: o.realm,
        user: conn.auth.username,
        password: conn.auth.password,
        rootPassword,
      });
    } catch (e) {
      throw new CliError(`etcd-setup: ${errorText(e)}`);
    }
    io.out(
      `etcd user ${conn.auth.username}: role ${r.role}, read and write on ${r.prefix} only; ` +
        `etcd auth ${r.enabledAuth ? "turned on" : "was already on"}\n`,
    );
    setExit(0);
  });
}
