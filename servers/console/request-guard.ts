/**
 * Changes come only from the console's own page. A request without a token is the console's
 * own principal, so any web page the operator visits could otherwise post to a console on
 * localhost: requiring a JSON body forces a CORS preflight that the console never grants, and a
 * present Origin must name the console's own host. (A token is a header the browser never adds
 * by itself, so it needs no such guard.)
 */
import type { IncomingMessage } from "node:http";
import { ApiError } from "./api-errors.js";

export function checkWriteRequest(req: IncomingMessage): void {
  const type = req.headers["content-type"] ?? "";
  if (!type.toLowerCase().startsWith("application/json")) {
    throw new ApiError(415, "BadContentType", "changes must be sent as application/json");
  }
  const origin = req.headers.origin;
  if (origin === undefined) return;
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    throw new ApiError(403, "BadOrigin", `origin ${origin} is not this console`);
  }
  if (host !== req.headers.host) {
    throw new ApiError(403, "BadOrigin", `origin ${origin} is not this console`);
  }
}
