/**
 * Calls to the console's API (../../api-types.ts), failing with ApiFailure on an error answer.
 * Every call carries the logged-in token (session.ts); a 401 tells the session, which then
 * shows the login form.
 */
import type { AuthInfo, ErrorBody } from "../../api-types.js";
import { authHeaders, session } from "./session.js";

/** Where the page checks a token if the console has not said (it says so in every 401). */
export const DEFAULT_LOGIN_PATH = "/api/login";

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

/**
 * Checks `token` at `loginPath` and answers who it is; a refusal is an ApiFailure, and leaves
 * the session as it is (the form shows the refusal).
 */
export async function checkToken(loginPath: string, token: string): Promise<AuthInfo> {
  const res = await fetch(loginPath, {
    method: "POST",
    headers: { "content-type": "application/json", ...authHeaders(token) },
    body: "{}",
    cache: "no-store",
  });
  return answer<AuthInfo>(res);
}

/** The download link of a file (for the console's own principal: a link sends no token). */
export function downloadUrl(path: string): string {
  return `/api/download?${new URLSearchParams({ path }).toString()}`;
}

/**
 * Downloads a file with the token: fetched whole into memory, then saved from a blob URL, since
 * a link cannot carry the Authorization header.
 */
export async function downloadWithToken(path: string, name: string): Promise<void> {
  const sent = session.token;
  const res = await fetch(downloadUrl(path), { headers: authHeaders(sent), cache: "no-store" });
  if (!res.ok) {
    await answer(res, sent);
    return;
  }
  const url = URL.createObjectURL(await res.blob());
  try {
    const a = document.createElement("a");
    a.href = url;
    a.download = name;
    a.click();
  } finally {
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }
}

/** An error's text for the page. */
export function errorMessage(e: unknown): string {
  if (e instanceof ApiFailure) return e.body.error.message;
  return e instanceof Error ? e.message : String(e);
}

/** The body of an error answer, or one made up for an answer that is not one. */
export async function errorBodyOf(res: Response): Promise<ErrorBody> {
  const text = await res.text();
  return parseBody(text) as ErrorBody;
}

/** A 401 for `sent` (the token the request carried): the session asks for a login. */
export function noteRefusal(status: number, body: ErrorBody, sent: string | null): void {
  if (status !== 401) return;
  const why = sent === null ? null : body.error.message;
  session.refused(sent, body.loginPath ?? DEFAULT_LOGIN_PATH, why);
}

async function call<T>(url: string, init: RequestInit): Promise<T> {
  const sent = session.token;
  const res = await fetch(url, {
    ...init,
    headers: { ...(init.headers as Record<string, string> | undefined), ...authHeaders(sent) },
  });
  return answer<T>(res, sent);
}

/** `res`'s body, or ApiFailure; with `sent` (a request made as the session), a 401 logs out. */
async function answer<T>(res: Response, sent?: string | null): Promise<T> {
  const body = parseBody(await res.text());
  if (!res.ok) {
    const failure = new ApiFailure(res.status, body as ErrorBody);
    if (sent !== undefined) noteRefusal(res.status, failure.body, sent);
    throw failure;
  }
  return body as T;
}

function parseBody(text: string): unknown {
  try {
    return text === "" ? {} : JSON.parse(text);
  } catch {
    return { error: { name: "BadAnswer", code: 0, obj: "", message: text.slice(0, 200) } };
  }
}
