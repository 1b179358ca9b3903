/**
 * The 9P gateway's test world, from the package entry: an in-process named, a gateway in front of it on an ephemeral
 * port, an FsLib client of named for setting up and checking, and helpers for 9P clients (the
 * project's own and diod's tools).
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { promisify } from "node:util";
import {
  FsLib,
  type Gateway,
  type GatewayOptions,
  type Named,
  NinepClient,
  startGateway,
  startNamed,
} from "../../index.js";

const exec = promisify(execFile);

export interface World {
  named: Named;
  gw: Gateway;
  fsl: FsLib;
  /** Reasons of connections the gateway closed, in order (clean ends excluded). */
  closures: string[];
  /** Resolves once a closure matching `pred` has been reported (already reported counts). */
  closure(pred: (reason: string) => boolean): Promise<string>;
  /** Resolves once the gateway holds exactly `n` connections. */
  connectionsAre(n: number): Promise<void>;
  close(): Promise<void>;
}

export async function startWorld(opts: Partial<GatewayOptions> = {}): Promise<World> {
  const named = await startNamed({ port: 0 });
  const closures: string[] = [];
  const waiters = new Set<() => void>();
  const gw = await startGateway({
    named: named.addr,
    ...opts,
    onConnectionClosed: ({ reason }) => {
      if (reason !== "eof") closures.push(reason);
      // After the hook the connection leaves the gateway's set: wake waiters after that.
      setImmediate(() => {
        for (const wake of [...waiters]) wake();
      });
    },
  });
  const until = (cond: () => boolean): Promise<void> =>
    new Promise<void>((resolve) => {
      const check = (): void => {
        if (!cond()) return;
        waiters.delete(check);
        resolve();
      };
      waiters.add(check);
      check();
    });
  const fsl = await FsLib.connect({ named: named.addr, localIp: "127.0.0.1" });
  return {
    named,
    gw,
    fsl,
    closures,
    closure: async (pred) => {
      await until(() => closures.some(pred));
      return closures.find(pred) ?? "";
    },
    connectionsAre: (k) => until(() => gw.connections() === k),
    close: async () => {
      await fsl.close().catch(() => undefined);
      await gw.close();
      await named.close();
    },
  };
}

/** A 9P client that has negotiated the version. */
export async function client(gw: Gateway, msize = 65536): Promise<NinepClient> {
  const c = await NinepClient.connect(gw.addr);
  await c.version(msize);
  return c;
}

/** The path of one of diod's tools (Debian installs them in /usr/sbin). */
export function diodTool(name: string): string {
  const p = `/usr/sbin/${name}`;
  return existsSync(p) ? p : name;
}

/** Runs one of diod's tools; its exit status, stdout and stderr. */
export async function runTool(
  name: string,
  args: string[],
  timeoutMs = 20_000,
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(diodTool(name), args, { timeout: timeoutMs });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: err.code ?? -1, stdout: err.stdout ?? "", stderr: err.stderr ?? "" };
  }
}

export const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
export const text = (b: Uint8Array): string => new TextDecoder().decode(b);
