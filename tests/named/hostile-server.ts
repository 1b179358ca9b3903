/**
 * Child process for tests/named/hostile.test.ts: named's stack (memfs under protsrv under the
 * session server) in a process of its own, so that a stall of its event loop is a stall of the
 * server only, as in production. It seeds state that would take an abuser many requests to build:
 * a chain of nested directories, a directory of many files and many fence entries. Prints
 * `ADDR host:port` once serving; exits on SIGTERM or when its parent goes.
 */
import { RootRealm, type Tfence } from "../../generated/sigmap/types.js";
import { MemFs } from "../../runtime/fs/index.js";
import { startFileServer } from "../../runtime/protsrv/file-server.js";
import { bootDirs } from "../../servers/named/layout.js";

const [depth, bigDir, fences] = process.argv.slice(2).map(Number) as [number, number, number];
const fs = new MemFs();
for (const dir of bootDirs(RootRealm)) await fs.mkdirAll(dir);
await fs.mkdirAll(Array.from({ length: depth }, () => "d").join("/"));
await fs.mkdirAll("big");
for (let i = 0; i < bigDir; i++) await fs.create(`big/f${i}`, 0o644);
const server = await startFileServer({ root: fs.root, host: "127.0.0.1", port: 0 });
for (let i = 1; i <= fences; i++) {
  const f: Tfence = { fenceid: { path: BigInt(i), serverid: 0n }, epoch: 1n };
  (await server.protsrv.checkFence(f))();
}
process.stdout.write(`ADDR ${server.addr}\n`);
const stop = (): void => void server.close().finally(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("disconnect", stop);
process.stdin.on("end", stop);
process.stdin.resume();
