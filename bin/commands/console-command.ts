/**
 * `sigma console [--listen HOST:PORT] [--named ADDRS] [--read-only] [--require-login]`: serves
 * the web console (docs/console.md) until SIGINT or SIGTERM. API requests carrying
 * `Authorization: Bearer <token>` act as that token's principal; `--require-login` refuses the
 * others, and then the console counts as checking tokens (off loopback: with HTTPS).
 */
import type { Command } from "commander";
import { startConsole } from "../../servers/console/index.js";
import { FsLib } from "../../runtime/client/index.js";
import { clientToken } from "./auth-flags.js";
import { errorLine } from "./cli-errors.js";
import { clientTls, serverTls } from "./connect.js";
import { exposure } from "./exposure-warning.js";
import type { Out } from "./fs-commands.js";

interface ConsoleFlags {
  listen: string;
  insecure?: boolean;
  token?: string;
  named?: string;
  uname: string;
  readOnly?: boolean;
  requireLogin?: boolean;
  tlsCert?: string;
  tlsKey?: string;
  tlsCa?: string;
}

/** The default address: loopback only, since a page nobody logged in to is the console's principal. */
export const CONSOLE_LISTEN = "127.0.0.1:7070";

export function registerConsoleCommand(
  program: Command,
  setExit: (code: number) => void,
  io: Out,
): void {
  program
    .command("console")
    .description("serve the web console: the namespace, watches, leaders and procs, live")
    .option(
      "--listen <host:port>",
      "address to serve the console on (port 0: any free port)",
      CONSOLE_LISTEN,
    )
    .option("--named <addrs>", "named's address(es), host:port[,host:port]; default $SIGMA_NAMED")
    .option("--uname <name>", "user name recorded as owner of what the console creates", "console")
    .option("--read-only", "refuse every change and show no edit controls")
    .option("--token <token>", "the console's token for named; default $SIGMA_TOKEN")
    .option(
      "--require-login",
      "refuse API requests without Authorization: Bearer <token> (the browser page asks for a token first)",
    )
    .option("--insecure", "serve a non-loopback address without --require-login")
    .option("--tls-cert <file>", "serve HTTPS with this certificate (PEM; with --tls-key)")
    .option("--tls-key <file>", "the certificate's private key (PEM)")
    .option("--tls-ca <file>", "dial named over TLS, trusting this CA (PEM); default $SIGMA_TLS_CA")
    .action(async (o: ConsoleFlags) => setExit(await runConsole(o, io)));
}

async function runConsole(o: ConsoleFlags, io: Out): Promise<number> {
  const named = (o.named ?? process.env["SIGMA_NAMED"] ?? "").split(",").filter((s) => s !== "");
  if (named.length === 0) {
    io.err("sigma: no named address: pass --named HOST:PORT or set SIGMA_NAMED\n");
    return 64;
  }
  const listen = parseListen(o.listen);
  if (listen === null) {
    io.err(`sigma: --listen ${o.listen}: expected HOST:PORT\n`);
    return 64;
  }
  const login = o.requireLogin === true;
  const https = o.tlsCert !== undefined;
  const exposed = exposure("console", listen.host, login, o.insecure === true, https);
  if (exposed !== null && "refuse" in exposed) {
    io.err(exposed.refuse + "\n");
    return 64;
  }
  if (exposed !== null) io.err(exposed.warn + "\n");
  const token = clientToken(o);
  const tls = serverTls({ tlsCert: o.tlsCert, tlsKey: o.tlsKey });
  const namedTls = clientTls(o);
  let con;
  // With a token the console's session is the token's principal; the console leaves an FsLib
  // it was given open, so this command closes it.
  let own: FsLib | undefined;
  try {
    const withTls = namedTls === undefined ? {} : { tls: namedTls };
    own = token === undefined ? undefined : await FsLib.connect({ named, token, ...withTls });
    // namedTls also dials the sessions of API callers' bearer tokens.
    const who = own === undefined ? { named, uname: o.uname } : { fsl: own };
    con = await startConsole({
      ...who,
      ...(namedTls === undefined ? {} : { namedTls }),
      ...(tls === undefined ? {} : { tls }),
      readOnly: o.readOnly === true,
      requireLogin: login,
      ...listen,
    });
  } catch (e) {
    await own?.close().catch(() => undefined);
    io.err(errorLine(e) + "\n");
    return 1;
  }
  io.out(`console ${con.url} for named ${named.join(",")}${con.readOnly ? " (read-only)" : ""}\n`);
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await con.close();
  await own?.close().catch(() => undefined);
  io.out(`console stopped (${signal})\n`);
  return 0;
}

/** `host:port`, `[v6]:port` or `:port` (loopback); null if it is none of these. */
export function parseListen(s: string): { host: string; port: number } | null {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(s);
  if (m === null) return null;
  const port = Number(m[3]);
  if (!Number.isInteger(port) || port > 65535) return null;
  return { host: m[1] ?? (m[2] === "" || m[2] === undefined ? "127.0.0.1" : m[2]), port };
}
