/** The console's settings: one interface, its defaults merged once in startConsole. */
import type { FsLib } from "../../runtime/client/index.js";
import { DEFAULT_HOST } from "../../runtime/defaults.js";
import type { TlsClientOptions, TlsServerOptions } from "../../runtime/net/index.js";
import type { ConsoleAuth } from "./auth.js";
import type { StoreInfoSource } from "./store-info.js";

export interface ConsoleOptions {
  /** named's address(es). Needed unless `fsl` is given. */
  named?: string | readonly string[];
  /** A client to act through instead of connecting one; the console leaves it open on close. */
  fsl?: FsLib;
  /** Recorded as the owner of what the console creates. Default `"console"`. */
  uname?: string;
  /** The console's token for named (its session is the token's principal). Default none. */
  token?: string;
  /** Dial named over TLS (`{ ca }`): the console's own FsLib and bearer tokens'. Default plain TCP. */
  namedTls?: TlsClientOptions;
  /** Serve HTTPS with this certificate and key. Default plain HTTP. */
  tls?: TlsServerOptions;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: any free port. */
  port?: number;
  /** Refuse every change (and show no edit controls). Default false. */
  readOnly?: boolean;
  /** The built web app. Default: `dist/console-web` of this package. */
  assetsDir?: string;
  /** The viewer shows at most this much of a file; larger files offer a download. Default 256 KiB. */
  viewCapBytes?: number;
  /** Limit of each namespace call made for a request. Default 5000 ms. */
  callTimeoutMs?: number;
  /** How often `.statsd` is sampled for the charts. Default 2000 ms. */
  statsIntervalMs?: number;
  /** Samples kept for the charts. Default 300 (ten minutes at the default interval). */
  statsHistory?: number;
  /** How often the panels' census runs while a page is open. Default 5000 ms. */
  censusIntervalMs?: number;
  /** Directory entries one page holds at most. Default 1000. */
  maxPageEntries?: number;
  /** Directories watched at once at most. Default 256. */
  maxWatches?: number;
  /** How long a directory nobody watches keeps its watch. Default 30,000 ms. */
  watchGraceMs?: number;
  /**
   * Who a request is from. Default: an API request with `Authorization: Bearer <sigma token>`
   * acts through an FsLib presenting that token (bearer-auth.ts); one without acts as the
   * console (or is refused with `requireLogin`).
   */
  auth?: ConsoleAuth;
  /** Refuse (401) API requests without a bearer token; the page then cannot be used. Default false. */
  requireLogin?: boolean;
  /** Close a bearer token's FsLib after this long without a request. Default 300,000 ms. */
  tokenIdleMs?: number;
  /** Bearer tokens with an open FsLib at most (least recently used closed first). Default 64. */
  maxTokenSessions?: number;
  /** Which store serves named. Default: the embedded memfs store. */
  storeInfo?: StoreInfoSource;
}

export const CONSOLE_DEFAULTS = {
  uname: "console",
  host: DEFAULT_HOST,
  port: 0,
  readOnly: false,
  viewCapBytes: 256 * 1024,
  callTimeoutMs: 5000,
  statsIntervalMs: 2000,
  statsHistory: 300,
  censusIntervalMs: 5000,
  maxPageEntries: 1000,
  maxWatches: 256,
  watchGraceMs: 30_000,
  requireLogin: false,
  tokenIdleMs: 300_000,
  maxTokenSessions: 64,
} as const;
