/**
 * `sigma named`: runs named in the foreground until SIGINT or SIGTERM, then shuts down cleanly.
 */
import type { Command } from "commander";
import { startNamed } from "../../servers/named/index.js";
import {
  loadServerKeys,
  loadServerTls,
  serverAuthOptions,
  type ServerAuthFlags,
} from "./auth-flags.js";
import type { Out } from "./cli-io.js";
import { exposure } from "./exposure-warning.js";
import { stopSignal } from "./stop-signal.js";
import { DEFAULT_HOST } from "../../runtime/defaults.js";

interface Flags extends ServerAuthFlags {
  host: string;
  port: string;
  realm: string;
}

export function registerNamedCommand(
  program: Command,
  setExit: (code: number) => void,
  io: Out,
): void {
  serverAuthOptions(
    program
      .command("named")
      .description("run the root name server in the foreground")
      .option("--host <host>", "address to bind and advertise", DEFAULT_HOST)
      .option("--port <port>", "port (0: any free port)", "0")
      .option("--realm <realm>", "realm this named serves", "rootrealm"),
  ).action(async (o: Flags) => {
    const port = Number(o.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      io.err(`sigma: --port ${o.port}: not a port number\n`);
      return setExit(64);
    }
    const authKeys = await loadServerKeys(o);
    const tls = await loadServerTls(o);
    const exposed = exposure("named", o.host, authKeys !== undefined, o.insecure === true);
    if (exposed !== null && "refuse" in exposed) {
      io.err(exposed.refuse + "\n");
      return setExit(64);
    }
    const named = await startNamed({
      host: o.host,
      port,
      realm: o.realm,
      ...(tls === undefined ? {} : { tls }),
      ...(authKeys === undefined ? {} : { authKeys, onRefused: (line) => io.err(line + "\n") }),
    });
    const stopped = stopSignal();
    io.out(
      `named listening on ${named.addr}${tls === undefined ? "" : " (TLS)"}${authKeys === undefined ? "" : ` (tokens of realm ${o.realm} required)`}\n`,
    );
    if (exposed !== null) io.err(exposed.warn + "\n");
    const signal = await stopped;
    await named.close();
    io.out(`named stopped (${signal})\n`);
    setExit(0);
  });
}
