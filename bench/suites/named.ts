/**
 * named suite: FsLib against named (a memfs file server in its own process) for the everyday
 * operations, against raw TCP ping-pong carrying the same bytes (the floor any protocol pays)
 * and against etcd (what SigmaOS-like systems otherwise keep small files in). Also named's
 * memory holding many small files. Servers run in child processes, every client in the runner.
 */
import { FsLib } from "../../runtime/client/fslib/fslib.js";
import { cpuPerCall } from "../lib/cpu-per-call.js";
import type { Suite } from "../lib/suite.js";
import { findEtcd } from "./named/etcd-binary.js";
import { etcdCases } from "./named/etcd-cases.js";
import { getfileFrameSizes } from "./named/getfile-frames.js";
import { metadataCases } from "./named/metadata-cases.js";
import { FILE_BYTES, NamedOps } from "./named/named-ops.js";
import { startProcesses } from "./named/processes.js";
import { rssCase } from "./named/rss.js";
import { tcpCases } from "./named/tcp-cases.js";

export const suite: Suite = {
  name: "named",
  description: "FsLib on named (memfs) vs raw TCP ping-pong and etcd; named's RSS with many files",
  run: async (ctx) => {
    const frames = getfileFrameSizes(NamedOps.firstFileWnames(), FILE_BYTES);
    const procs = await startProcesses(ctx, frames, findEtcd());
    const fsl = await FsLib.connect({ named: procs.namedAddr, uname: "bench" });
    ctx.defer(() => fsl.close());
    const ops = await NamedOps.setUp(fsl);

    await tcpCases(ctx, ops, procs.tcpPort, frames);
    await cpuPerCall(ctx, {
      name: "named-getfile-seq",
      call: ops.getFile,
      server: procs.namedControl,
      note: "getFile of 100 B, 1 in flight",
    });
    await etcdCases(ctx, ops, procs.etcd);
    await metadataCases(ctx, ops);
    // Last: it leaves named holding the files, which would weigh on every later case.
    await rssCase(ctx, fsl, procs.namedControl);
  },
};
