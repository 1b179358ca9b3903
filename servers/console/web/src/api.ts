/** Calls to the console's API (../../api-types.ts), failing with ApiFailure on an error answer. */
import type { ErrorBody } from "../../api-types.js";

/** An error answer: its status and body. */
export class ApiFailure extends Error {
  readonly status: number;
  readonly body: ErrorBody;

  constructor(status: number, body: ErrorBody) {
    super(body.error.message);
    this.status = status;
    this.body = body;
  }
}

/** GET `path` with query `params`. */
export function getJson<T>(
  path: string,
  params: Record<string, string | undefined> = {},
): Promise<T> {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) q.set(k, v);
  const qs = q.toString();
  return call<T>(qs === "" ? path : `${path}?${qs}`, { method: "GET" });
}

/** POST or PUT `body` as JSON. */
export function sendJson<T>(method: "POST" | "PUT", path: string, body: unknown): Promise<T> {
  return call<T>(path, {
    method,
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

/** The download link of a file. */
export function downloadUrl(path: string): string {
  return `/api/download?${new URLSearchParams({ path }).toString()}`;
}

/** An error's text for the page. */
export function errorMessage(e: unknown): string {
  if (e instanceof ApiFailure) return e.body.error.message;
  return e instanceof Error ? e.message : String(e);
}

async function call<T>(url: string, init: RequestInit): Promise<T> {
  const res = await fetch(url, init);
  const text = await res.text();
  let body: unknown;
  try {
    body = text === "" ? {} : JSON.parse(text);
  } catch {
    body = { error: { name: "BadAnswer", code: 0, obj: "", message: text.slice(0, 200) } };
  }
  if (!res.ok) throw new ApiFailure(res.status, body as ErrorBody);
  return body as T;
}
