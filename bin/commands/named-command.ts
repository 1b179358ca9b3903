/**
 * `sigma named`: runs named in the foreground until SIGINT or SIGTERM, then shuts down cleanly.
 */
import type { Command } from "commander";
import { startNamed } from "../../servers/named/index.js";
import type { Out } from "./cli-io.js";
import { serverTls, type ServerTlsFlags } from "./connect.js";
import { exposureWarning } from "./exposure-warning.js";
import { stopSignal } from "./stop-signal.js";
import { DEFAULT_HOST } from "../../runtime/defaults.js";

export function registerNamedCommand(
  program: Command,
  setExit: (code: number) => void,
  io: Out,
): void {
  program
    .command("named")
    .description("run the root name server in the foreground")
    .option("--host <host>", "address to bind and advertise", DEFAULT_HOST)
    .option("--port <port>", "port (0: any free port)", "0")
    .option("--realm <realm>", "realm this named serves", "rootrealm")
    .option("--tls-cert <file>", "serve TLS with this certificate (PEM; with --tls-key)")
    .option("--tls-key <file>", "the certificate's private key (PEM)")
    .option("--tls-client-ca <file>", "mutual TLS: require client certificates this CA signed")
    .action(async (o: { host: string; port: string; realm: string } & ServerTlsFlags) => {
      const port = Number(o.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        io.err(`sigma: --port ${o.port}: not a port number\n`);
        return setExit(64);
      }
      const tls = serverTls(o);
      const named = await startNamed({ host: o.host, port, realm: o.realm, tls });
      const stopped = stopSignal();
      io.out(`named listening on ${named.addr}${tls === undefined ? "" : " (TLS)"}\n`);
      const warning = exposureWarning("named", o.host);
      if (warning !== null) io.err(warning + "\n");
      const signal = await stopped;
      await named.close();
      io.out(`named stopped (${signal})\n`);
      setExit(0);
    });
}
