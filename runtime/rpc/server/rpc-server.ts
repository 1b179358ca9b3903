/**
 * startRpcServer: SigmaOS's protdevsrv. A memfs file server whose root holds `clone-rpc` and
 * `stats` (spec 8), optionally advertised in named at a path; each session that opens
 * `clone-rpc` gets its own `<T>-rpc/` directory (T a random token) whose `data-rpc` carries the calls.
 */
import { MemFs } from "../../fs/index.js";
import { namedEpochs, type FsLib } from "../../client/index.js";
import { logger } from "../../log.js";
import {
  startFileServer,
  type FileServer,
  type FileServerOptions,
  type StatsSnapshot,
} from "../../protsrv/index.js";
import type { RpcService } from "../../contract/index.js";
import { CLONE, STATS } from "../shared/names.js";
import { Registration } from "./registration.js";
import { RpcStats } from "../shared/rpc-stats.js";
import { CallServer } from "./serve-call.js";
import { SessionDirs } from "./session-dirs.js";
import { textDevice } from "./text-device.js";
import type { RpcStatsFile } from "../shared/stats-file.js";
import type { RpcContext } from "./rpc-context.js";

const log = logger("rpc");

export interface RpcServerOptions extends Omit<FileServerOptions, "root"> {
  /** The service with its handlers: the generated binding, e.g. `echoService(handlers)`. */
  service: RpcService<RpcContext>;
  /**
   * Where to advertise the server, e.g. `name/echo`: an ephemeral mount symlink made through
   * `fsl`, so it vanishes with fsl's session. A trailing `/` makes a union entry named by the
   * address. Default: not advertised.
   */
  path?: string;
  /** The client that registers the server; required with `path`. */
  fsl?: FsLib;
}

export interface RpcServer {
  /** `host:port` it listens on. */
  readonly addr: string;
  /** The file server underneath (its protsrv, its session server). */
  readonly files: FileServer;
  /** What the `stats` file shows now. */
  stats(): RpcStatsFile<StatsSnapshot>;
  /** Removes the registration (when still its own), then stops serving. */
  close(): Promise<void>;
}

export async function startRpcServer(opts: RpcServerOptions): Promise<RpcServer> {
  const { service, path, fsl, ...fileOpts } = opts;
  if (path !== undefined && fsl === undefined) {
    throw new TypeError("startRpcServer: `path` needs `fsl` to register through");
  }
  const fs = new MemFs();
  // Fences are checked against their epoch files in named, through the registering client.
  const epochs = fsl === undefined ? {} : { remoteEpochs: namedEpochs(fsl) };
  // Certificate principals (mutual TLS without keys) are of the registering client's realm.
  const realm = fsl === undefined ? {} : { realm: fsl.realm };
  const files = await startFileServer({
    name: "rpc server",
    ...epochs,
    ...realm,
    ...fileOpts,
    root: fs.root,
  });
  const rpcStats = new RpcStats();
  const stats = (): RpcStatsFile<StatsSnapshot> => ({
    SigmapStat: files.protsrv.stats(),
    RpcStat: rpcStats.snapshot(),
  });
  const dirs = new SessionDirs(fs, files.protsrv, new CallServer(service, rpcStats));
  await fs.makeDevice(CLONE, { open: (_mode, ctx) => dirs.open(ctx.session) }, 0o444);
  await fs.makeDevice(
    STATS,
    textDevice(() => JSON.stringify(stats())),
    0o444,
  );

  let registration: Registration | null = null;
  if (path !== undefined && fsl !== undefined) {
    try {
      const tls = fileOpts.tls !== undefined;
      registration = await Registration.register(fsl, path, files.addr, tls);
    } catch (e) {
      await files.close();
      throw e;
    }
  }
  log("rpc server %s for %s at %s", files.addr, service.info.name, path ?? "(unregistered)");
  return {
    addr: files.addr,
    files,
    stats,
    close: async () => {
      await registration?.remove();
      await files.close();
    },
  };
}
