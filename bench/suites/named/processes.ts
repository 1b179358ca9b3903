/**
 * Starts the suite's servers, each in its own process and all at once (process start-up is most
 * of a smoke run): the raw-TCP ping-pong server of the session suite, sized to a getfile
 * exchange; named; and etcd when its binary is installed. Every start is awaited before any
 * failure is raised, so that whatever did start is stopped by the suite's cleanup. An etcd that
 * fails to start does not stop the named cases: its error is raised when the etcd cases come.
 */
import { startChild, type RunningChild } from "../../lib/child.js";
import { ControlClient } from "../../lib/control-client.js";
import type { SuiteContext } from "../../lib/suite.js";
import { startEtcd, type EtcdKv } from "./etcd.js";
import type { GetfileFrames } from "./getfile-frames.js";

export interface Processes {
  tcpPort: number;
  /** named's `host:port`. */
  namedAddr: string;
  /** named's process, for memory reports. */
  namedControl: ControlClient;
  /** Null without an etcd binary; else etcd, or the error that kept it from starting. */
  etcd: { kv: EtcdKv } | { error: unknown } | null;
}

export async function startProcesses(
  ctx: SuiteContext,
  frames: GetfileFrames,
  etcdBin: string | null,
): Promise<Processes> {
  const [tcp, named, etcd] = await Promise.allSettled([
    child(ctx, "../session/tcp-server.ts", [String(frames.replyFrame)]),
    child(ctx, "./named-server.ts", [], ["--expose-gc"]),
    etcdBin === null ? null : startEtcd(ctx, etcdBin),
  ]);
  if (tcp.status === "rejected") throw tcp.reason;
  if (named.status === "rejected") throw named.reason;
  const namedControl = await ControlClient.connect(named.value.port);
  ctx.defer(() => namedControl.close());
  return {
    tcpPort: tcp.value.port,
    namedAddr: await namedControl.ask("addr"),
    namedControl,
    etcd:
      etcd.status === "rejected"
        ? { error: etcd.reason }
        : etcd.value === null
          ? null
          : { kv: etcd.value },
  };
}

async function child(
  ctx: SuiteContext,
  file: string,
  args: string[],
  nodeArgs: string[] = [],
): Promise<RunningChild> {
  const c = await startChild({ module: new URL(file, import.meta.url), args, nodeArgs });
  ctx.defer(() => c.stop());
  return c;
}
