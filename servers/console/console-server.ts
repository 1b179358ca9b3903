/**
 * The web console: one Node process that is an FsLib client of named and serves the web app and
 * its API over node:http (docs/console.md). Everything the page shows comes through FsLib: the
 * tree and the editor, the watches behind the live updates, and the files behind the panels.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { FsLib } from "../../runtime/client/index.js";
import { logger } from "../../runtime/log.js";
import { withDefaults } from "../../runtime/options.js";
import { ApiError } from "./api-errors.js";
import { apiRoutes } from "./api-routes.js";
import { type ConsoleAuth, openAuth } from "./auth.js";
import { type BearerAuth, bearerAuth } from "./bearer-auth.js";
import { CensusLoop } from "./census-loop.js";
import { CONSOLE_DEFAULTS, type ConsoleOptions } from "./console-options.js";
import { DirCursors } from "./dir-cursors.js";
import { EventStreams } from "./event-streams.js";
import { sendError } from "./http-io.js";
import { keepSessions } from "./session-keeper.js";
import { defaultAssetsDir, serveAsset } from "./static-assets.js";
import { StatsSampler } from "./stats-sampler.js";
import { memfsStoreInfo } from "./store-info.js";
import { WatchHub } from "./watch-hub.js";
import { WatchLog } from "./watch-log.js";

const log = logger("console");

/** A running console. */
export interface ConsoleServer {
  /** `http://host:port/`. */
  readonly url: string;
  /** `host:port` as bound. */
  readonly addr: string;
  readonly readOnly: boolean;
  /** Ends the event streams, stops the watches and sampling, closes the server (and the FsLib it opened). */
  close(): Promise<void>;
}

/** Servers sampled for the charts besides named, at most. */
const SAMPLED_SERVERS = 8;
/** Lines the watch log keeps. */
const LOG_LINES = 500;

// The page loads only its own files and talks only to its own origin.
const CSP =
  "default-src 'self'; img-src 'self' data:; style-src 'self'; connect-src 'self'; " +
  "frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** Starts the console and resolves once it listens. */
export async function startConsole(opts: ConsoleOptions): Promise<ConsoleServer> {
  const o = withDefaults(CONSOLE_DEFAULTS, opts);
  if (o.fsl === undefined && o.named === undefined) {
    throw new TypeError("startConsole: pass named's address (named) or a client (fsl)");
  }
  const fsl = o.fsl ?? (await FsLib.connect(clientOptions(o)));
  const assetsDir = o.assetsDir ?? defaultAssetsDir();
  // Unless the caller brings its own, API requests may carry their own principal's token.
  let auth: ConsoleAuth;
  let tokens: BearerAuth | undefined;
  if (o.auth !== undefined) {
    auth = o.auth;
  } else {
    const withTls = o.namedTls === undefined ? {} : { tls: o.namedTls };
    tokens = bearerAuth({
      connect: (token) => FsLib.connect({ named: fsl.namedAddr(), token, ...withTls }),
      fallback: o.requireLogin ? null : openAuth(fsl, o.uname),
      idleMs: o.tokenIdleMs,
      max: o.maxTokenSessions,
    });
    auth = tokens;
  }
  const store = o.storeInfo ?? memfsStoreInfo;
  const t = o.callTimeoutMs;

  const streams = new EventStreams();
  const watchLog = new WatchLog(LOG_LINES);
  watchLog.listen((e) => streams.broadcast("log", e));
  const hub = new WatchHub({
    log: watchLog,
    publish: (ids, ev) => ids.forEach((id) => streams.send(id, "dir", ev)),
    graceMs: o.watchGraceMs,
    max: o.maxWatches,
    timeoutMs: t,
    retryMs: 1000,
  });
  streams.onClosed((id) => hub.dropStream(id));
  const cursors = new DirCursors({ idleMs: 60_000, max: 256, readBytes: 64 * 1024, timeoutMs: t });
  const census = new CensusLoop(fsl, {
    intervalMs: o.censusIntervalMs,
    watched: () => streams.count > 0,
    publish: (c) => streams.broadcast("cluster", c),
    store,
    maxDirs: 2000,
    maxEntries: 50_000,
    perDirEntries: 5000,
    maxSymlinks: 64,
    maxEphemeral: 200,
    timeoutMs: Math.min(t, 2000),
  });
  const sampler = new StatsSampler(fsl, {
    intervalMs: o.statsIntervalMs,
    history: o.statsHistory,
    timeoutMs: Math.min(t, 2000),
    servers: () => [
      "name",
      ...(census.last?.servers ?? [])
        .filter((s) => s.kind !== "named" && s.error === undefined)
        .slice(0, SAMPLED_SERVERS)
        .map((s) => s.path),
    ],
    publish: (s) => streams.broadcast("stats", s),
  });
  const router = apiRoutes({
    readOnly: o.readOnly,
    uname: o.uname,
    named: fsl.namedAddr(),
    viewCapBytes: o.viewCapBytes,
    callTimeoutMs: t,
    maxPageEntries: o.maxPageEntries,
    statsIntervalMs: o.statsIntervalMs,
    auth,
    cursors,
    hub,
    streams,
    log: watchLog,
    sampler,
    census,
    store,
  });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://console.invalid");
    try {
      if (url.pathname.startsWith("/api/")) {
        const principal = await auth.principal(req);
        if (principal === null) {
          res.setHeader("www-authenticate", 'Bearer realm="sigma console"');
          const loginPath = auth.loginPath ?? undefined;
          throw new ApiError(
            401,
            "NotLoggedIn",
            "log in first: send Authorization: Bearer <sigma token>",
            {
              loginPath,
            },
          );
        }
        await router.dispatch({ req, res, url, principal });
        return;
      }
      if (req.method !== "GET" && req.method !== "HEAD") {
        throw new ApiError(405, "BadMethod", `${req.method} is not allowed here`);
      }
      res.setHeader("content-security-policy", CSP);
      await serveAsset(assetsDir, url.pathname, res);
    } catch (e) {
      sendError(res, e);
    }
  };
  const onRequest = (req: IncomingMessage, res: ServerResponse): void => void handle(req, res);
  const server =
    o.tls === undefined
      ? createServer(onRequest)
      : createHttpsServer(
          { cert: pem(o.tls.cert), key: pem(o.tls.key), minVersion: "TLSv1.2" },
          onRequest,
        );
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(o.port, o.host, () => {
        server.off("error", reject);
        resolve();
      });
    });
  } catch (e) {
    streams.close();
    await cursors.close();
    await tokens?.close();
    if (o.fsl === undefined) await fsl.close().catch(() => undefined);
    throw e;
  }
  const a = server.address() as AddressInfo;
  const host = a.family === "IPv6" ? `[${a.address}]` : a.address;
  const addr = `${host}:${a.port}`;
  const stopKeeping = keepSessions(fsl);
  sampler.start();
  census.start();
  log(
    "console %s for named %s%s",
    addr,
    fsl.namedAddr().join(","),
    o.readOnly ? " (read-only)" : "",
  );

  let closing: Promise<void> | undefined;
  return {
    url: `${o.tls === undefined ? "http" : "https"}://${addr}/`,
    addr,
    readOnly: o.readOnly,
    close: () =>
      (closing ??= (async () => {
        stopKeeping();
        streams.close();
        hub.close();
        await Promise.all([sampler.stop(), census.stop(), cursors.close(), tokens?.close()]);
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        if (o.fsl === undefined) await fsl.close().catch(() => undefined);
      })()),
  };
}

/** The console's own FsLib: its token's principal if it has one, else `uname`. */
function clientOptions(o: ConsoleOptions & { uname: string }): Parameters<typeof FsLib.connect>[0] {
  return {
    named: o.named ?? [],
    ...(o.token === undefined ? { uname: o.uname } : { token: o.token }),
    ...(o.namedTls === undefined ? {} : { tls: o.namedTls }),
  };
}

function pem(v: string | Uint8Array): string | Buffer {
  return typeof v === "string" ? v : Buffer.from(v);
}
