/**
 * A route table for the API: exact paths under `/api/`, one handler per method. A handler's
 * result is sent as JSON (200); a handler that answers by itself (event streams, downloads)
 * returns ANSWERED. node:http and this table are the whole HTTP layer (docs/console.md says why).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { ApiError } from "./api-errors.js";
import type { Principal } from "./auth.js";
import { sendError, sendJson } from "./http-io.js";

/** What a handler gets. */
export interface RequestCtx {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  principal: Principal;
}

/** Returned by a handler that has written its own answer. */
export const ANSWERED: unique symbol = Symbol("answered");

export type Handler = (c: RequestCtx) => Promise<unknown>;

type Method = "GET" | "POST" | "PUT";

export class Router {
  readonly #routes = new Map<string, Map<string, Handler>>();

  add(method: Method, path: string, handler: Handler): this {
    let byMethod = this.#routes.get(path);
    if (byMethod === undefined) this.#routes.set(path, (byMethod = new Map()));
    byMethod.set(method, handler);
    return this;
  }

  /** Whether `path` is one of the table's paths. */
  has(path: string): boolean {
    return this.#routes.has(path);
  }

  /** Runs the route of `ctx`; unknown path → 404, wrong method → 405, failures as error bodies. */
  async dispatch(ctx: RequestCtx): Promise<void> {
    try {
      const byMethod = this.#routes.get(ctx.url.pathname);
      if (byMethod === undefined) {
        throw new ApiError(404, "NoRoute", `no API route ${ctx.url.pathname}`);
      }
      const handler = byMethod.get(ctx.req.method ?? "GET");
      if (handler === undefined) {
        ctx.res.setHeader("allow", [...byMethod.keys()].join(", "));
        throw new ApiError(405, "BadMethod", `${ctx.req.method} is not allowed here`);
      }
      const result = await handler(ctx);
      if (result !== ANSWERED) sendJson(ctx.res, 200, result ?? {});
    } catch (e) {
      sendError(ctx.res, e);
    }
  }
}
