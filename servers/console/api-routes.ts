/** The API's routes (api-types.ts has the shapes), bound to the console's parts. */
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { ApiError, badRequest, readOnlyRefusal } from "./api-errors.js";
import type {
  AuthInfo,
  CreateRequest,
  HelloEvent,
  InfoJson,
  SaveReply,
  StatsSample,
} from "./api-types.js";
import type { ConsoleAuth, Principal } from "./auth.js";
import type { CensusLoop } from "./census-loop.js";
import type { DirCursors } from "./dir-cursors.js";
import type { EventStreams } from "./event-streams.js";
import { loadFile } from "./file-content.js";
import { saveFile } from "./file-save.js";
import { ANSWERED, type RequestCtx, Router } from "./http-router.js";
import { boolField, intField, optionalString, readJson, stringField } from "./http-io.js";
import { createObject, removeObject, renameObject } from "./namespace-edits.js";
import { objectDetails } from "./object-details.js";
import { checkWriteRequest } from "./request-guard.js";
import type { StatsSampler } from "./stats-sampler.js";
import type { StoreInfoSource } from "./store-info.js";
import type { WatchHub } from "./watch-hub.js";
import type { WatchLog } from "./watch-log.js";

export interface ApiParts {
  readOnly: boolean;
  uname: string;
  named: string[];
  viewCapBytes: number;
  callTimeoutMs: number;
  maxPageEntries: number;
  statsIntervalMs: number;
  auth: ConsoleAuth;
  cursors: DirCursors;
  hub: WatchHub;
  streams: EventStreams;
  log: WatchLog;
  sampler: StatsSampler;
  census: CensusLoop;
  store: StoreInfoSource;
}

/** Entries a page holds when the request does not say. */
const DEFAULT_PAGE = 200;

export function apiRoutes(p: ApiParts): Router {
  const t = p.callTimeoutMs;
  const authInfo = (who: Principal): AuthInfo => ({
    mode: who.mode ?? p.auth.mode,
    principal: who.name,
    loginPath: p.auth.loginPath,
    ...(who.token === undefined ? {} : { token: who.token }),
  });
  const write = async (c: RequestCtx): Promise<unknown> => {
    if (p.readOnly || !c.principal.canWrite) throw readOnlyRefusal();
    checkWriteRequest(c.req);
    return readJson(c.req);
  };

  return new Router()
    .add("GET", "/api/info", async (c): Promise<InfoJson> => ({
      readOnly: p.readOnly || !c.principal.canWrite,
      named: p.named,
      uname: p.uname,
      auth: authInfo(c.principal),
      viewCapBytes: p.viewCapBytes,
      statsIntervalMs: p.statsIntervalMs,
      store: await p.store(),
    }))
    .add("POST", "/api/login", async (c): Promise<AuthInfo> => {
      // The page's check of a pasted token: by the time this runs, named has taken the token
      // (the principal's FsLib connected with it), so the answer is who the token is.
      if (p.auth.loginPath === null) {
        throw new ApiError(501, "NotSupported", "this console takes no tokens");
      }
      checkWriteRequest(c.req);
      if (c.principal.token === undefined) {
        throw new ApiError(
          400,
          "NoToken",
          "send the sigma token as Authorization: Bearer <token> to log in",
        );
      }
      return authInfo(c.principal);
    })
    .add("GET", "/api/dir", async (c) => {
      const limit = pageLimit(c.url, p.maxPageEntries);
      const cursor = c.url.searchParams.get("cursor") ?? undefined;
      const after = c.url.searchParams.get("after") ?? undefined;
      return p.cursors.page(c.principal.fsl, param(c.url, "path"), limit, cursor, after);
    })
    .add("GET", "/api/stat", async (c) => objectDetails(c.principal.fsl, param(c.url, "path"), t))
    .add("GET", "/api/file", async (c) =>
      loadFile(c.principal.fsl, param(c.url, "path"), p.viewCapBytes, t),
    )
    .add("GET", "/api/download", async (c) => {
      const file = param(c.url, "path");
      const fsl = c.principal.fsl;
      await fsl.stat(file, { timeoutMs: t }); // fail as JSON before the download starts
      c.res.writeHead(200, {
        "content-type": "application/octet-stream",
        "content-disposition": `attachment; filename*=UTF-8''${encodeURIComponent(path.posix.basename(file))}`,
        "cache-control": "no-store",
      });
      await pipeline(fsl.createReadStream(file), c.res);
      return ANSWERED;
    })
    .add("PUT", "/api/file", async (c): Promise<SaveReply> => {
      const body = await write(c);
      const data = new TextEncoder().encode(stringField(body, "content"));
      const file = await saveFile(
        c.principal.fsl,
        stringField(body, "path"),
        intField(body, "version"),
        data,
        { viewCapBytes: p.viewCapBytes, timeoutMs: t },
      );
      return { file };
    })
    .add("POST", "/api/create", async (c) => {
      const body = await write(c);
      const kind = stringField(body, "kind");
      if (kind !== "file" && kind !== "dir" && kind !== "symlink") {
        throw badRequest(`"kind" must be file, dir or symlink`);
      }
      const req: CreateRequest = {
        path: stringField(body, "path"),
        kind,
        content: optionalString(body, "content"),
        target: optionalString(body, "target"),
        ephemeral: boolField(body, "ephemeral"),
      };
      return createObject(c.principal.fsl, req, t, c.principal.umask);
    })
    .add("POST", "/api/rename", async (c) => {
      const body = await write(c);
      await renameObject(c.principal.fsl, stringField(body, "from"), stringField(body, "to"), t);
      return {};
    })
    .add("POST", "/api/remove", async (c) => {
      const body = await write(c);
      await removeObject(
        c.principal.fsl,
        stringField(body, "path"),
        boolField(body, "recursive"),
        t,
      );
      return {};
    })
    .add("GET", "/api/events", async (c) => {
      // A token's stream keeps its session (and watches) from idling out, and ends when the
      // token expires (the page's reconnect is then refused: it asks for a new token) or its
      // session is closed anyway (the reconnect opens a new one and watches again).
      const release = c.principal.hold?.(() => c.res.end());
      if (release !== undefined) c.res.once("close", release);
      p.streams.open(
        c.res,
        (stream): HelloEvent => ({ stream, log: p.log.recent(), stats: p.sampler.history() }),
        c.principal.token?.expires,
      );
      return ANSWERED;
    })
    .add("POST", "/api/watch", async (c) => {
      checkWriteRequest(c.req);
      const body = await readJson(c.req);
      const stream = stringField(body, "stream");
      const dir = stringField(body, "path");
      if (!p.streams.has(stream)) throw new ApiError(410, "NoStream", `no event stream ${stream}`);
      if (boolField(body, "on")) await p.hub.subscribe(stream, c.principal, dir);
      else p.hub.unsubscribe(stream, c.principal, dir);
      return {};
    })
    .add("GET", "/api/log", async () => p.log.recent())
    .add("GET", "/api/stats", async (): Promise<StatsSample[]> => p.sampler.history())
    .add("GET", "/api/cluster", async () => p.census.latest());
}

function param(url: URL, name: string): string {
  const v = url.searchParams.get(name);
  if (v === null || v === "") throw badRequest(`missing ?${name}=`);
  return v;
}

function pageLimit(url: URL, max: number): number {
  const raw = url.searchParams.get("limit");
  if (raw === null) return Math.min(DEFAULT_PAGE, max);
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 1 || n > max) {
    throw badRequest(`?limit= must be an integer from 1 to ${max}`);
  }
  return n;
}
