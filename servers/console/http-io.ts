/** Reading JSON requests and writing JSON answers over node:http, with a bound on body size. */
import type { IncomingMessage, ServerResponse } from "node:http";
import { ApiError, badRequest, errorBody, toApiError } from "./api-errors.js";

/** A save carries up to the view cap as JSON text; this leaves room for escaping. */
export const MAX_BODY_BYTES = 8 * 1024 * 1024;

/** Reads and parses the JSON body; too large → 413, not JSON → 400. */
export async function readJson(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<unknown> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      throw new ApiError(413, "TooLarge", `request body over ${limit} bytes`);
    }
    parts.push(chunk);
  }
  const text = Buffer.concat(parts).toString("utf8");
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw badRequest("the request body is not JSON");
  }
}

/** Answers `body` as JSON with `status`. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    "cache-control": "no-store",
  });
  res.end(text);
}

/** Answers any thrown value as an error body with its status. */
export function sendError(res: ServerResponse, e: unknown): void {
  const err = toApiError(e);
  if (res.headersSent) {
    res.destroy(err);
    return;
  }
  sendJson(res, err.status, errorBody(err));
}

/** A string field of a parsed body; missing or not a string → 400. */
export function stringField(body: unknown, name: string): string {
  const v = field(body, name);
  if (typeof v !== "string") throw badRequest(`"${name}" must be a string`);
  return v;
}

/** An optional string field. */
export function optionalString(body: unknown, name: string): string | undefined {
  const v = field(body, name);
  if (v === undefined) return undefined;
  if (typeof v !== "string") throw badRequest(`"${name}" must be a string`);
  return v;
}

/** An optional boolean field (false when missing). */
export function boolField(body: unknown, name: string): boolean {
  const v = field(body, name);
  if (v === undefined) return false;
  if (typeof v !== "boolean") throw badRequest(`"${name}" must be true or false`);
  return v;
}

/** A non-negative integer field. */
export function intField(body: unknown, name: string): number {
  const v = field(body, name);
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0) {
    throw badRequest(`"${name}" must be a non-negative integer`);
  }
  return v;
}

function field(body: unknown, name: string): unknown {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw badRequest("the request body must be a JSON object");
  }
  return (body as Record<string, unknown>)[name];
}
