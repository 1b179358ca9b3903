/**
 * The console tests' world: a real named on an ephemeral port, a client of it for the test's own
 * changes, and a console on an ephemeral port serving a stand-in web app (the API tests need no
 * built app). `api` calls the console's HTTP API the way the page does.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { FsLib } from "../../runtime/client/index.js";
import {
  startConsole,
  type ConsoleOptions,
  type ConsoleServer,
} from "../../servers/console/index.js";
import { startNamed, type Named } from "../../servers/named/index.js";

export interface ConsoleWorld {
  named: Named;
  /** The test's own client (uname "tester"). */
  fsl: FsLib;
  console: ConsoleServer;
  api: Api;
  close(): Promise<void>;
}

export interface Answer<T = unknown> {
  status: number;
  body: T;
}

export interface Api {
  get<T = unknown>(route: string, params?: Record<string, string>): Promise<Answer<T>>;
  send<T = unknown>(method: "POST" | "PUT", route: string, body: unknown): Promise<Answer<T>>;
}

/** The marker the stand-in app's index.html holds. */
export const STAND_IN = "<!doctype html><title>stand-in console app</title>";

export async function startWorld(
  opts: Omit<ConsoleOptions, "named" | "fsl"> = {},
): Promise<ConsoleWorld> {
  const named = await startNamed({ port: 0 });
  const assets = mkdtempSync(path.join(tmpdir(), "console-assets-"));
  writeFileSync(path.join(assets, "index.html"), STAND_IN);
  let fsl: FsLib | undefined;
  let con: ConsoleServer | undefined;
  try {
    fsl = await FsLib.connect({ named: named.addr, uname: "tester" });
    con = await startConsole({ named: named.addr, assetsDir: assets, ...opts });
  } catch (e) {
    await fsl?.close();
    await named.close();
    rmSync(assets, { recursive: true, force: true });
    throw e;
  }
  const c = con;
  const f = fsl;
  return {
    named,
    fsl: f,
    console: c,
    api: apiOf(c.url),
    close: async () => {
      await c.close();
      await f.close();
      await named.close();
      rmSync(assets, { recursive: true, force: true });
    },
  };
}

export function apiOf(base: string): Api {
  const answer = async <T>(res: Response): Promise<Answer<T>> => ({
    status: res.status,
    body: (await res.json()) as T,
  });
  return {
    get: async (route, params = {}) => {
      const q = new URLSearchParams(params).toString();
      return answer(await fetch(new URL(q === "" ? route : `${route}?${q}`, base)));
    },
    send: async (method, route, body) =>
      answer(
        await fetch(new URL(route, base), {
          method,
          headers: { "content-type": "application/json" },
          body: JSON.stringify(body),
        }),
      ),
  };
}

export const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
export const text = (b: Uint8Array): string => new TextDecoder().decode(b);
