/**
 * RpcClient: SigmaOS's protdevclnt (spec 8). Clones a session directory on the server at `path`,
 * opens its `data-rpc` through each FsLib given, and carries every call as one Twriteread,
 * spreading calls round-robin over those FsLibs (each its own session and connection). Generated
 * service clients run over it: `new EchoClient(await RpcClient.connect(fsl, "name/echo"))`.
 */
import { ErrCode, Mode } from "../../../generated/sigmap/types.js";
import { SigmaError } from "../../errors/index.js";
import type { FsLib } from "../../client/index.js";
import type { RpcCallOptions, RpcTransport } from "../../contract/index.js";
import { decodeReply, encodeRequest } from "../shared/envelope.js";
import { CLONE, DATA, STATS } from "../shared/names.js";
import { RpcStats, type MethodStat } from "../shared/rpc-stats.js";
import { withLiveMount } from "./stale-mount.js";
import type { RpcStatsFile } from "../shared/stats-file.js";

interface Conn {
  fsl: FsLib;
  fd: number;
}

const decoder = new TextDecoder();

export class RpcClient implements RpcTransport {
  /** The server path given to connect, e.g. `name/echo`. */
  readonly path: string;
  /** The token of the session directory the calls go through: what `clone-rpc` returned. */
  readonly sessionDir: string;
  readonly #conns: Conn[];
  readonly #stats = new RpcStats();
  #next = 0;

  private constructor(path: string, sessionDir: string, conns: Conn[]) {
    this.path = path;
    this.sessionDir = sessionDir;
    this.#conns = conns;
  }

  /**
   * Clones through the first FsLib and opens `data-rpc` through every one. A mount left over from
   * a server that has gone is dropped and `path` looked up again, so a service that re-registered
   * at a new address is found. Errors are FsLib's: Notfound (nothing at `path`), Unreachable,
   * SessClosed, Timeout, Aborted.
   */
  static async connect(
    fsls: FsLib | readonly FsLib[],
    path: string,
    opts?: RpcCallOptions,
  ): Promise<RpcClient> {
    const all = Array.isArray(fsls) ? [...(fsls as readonly FsLib[])] : [fsls as FsLib];
    const first = all[0];
    if (first === undefined) throw new TypeError("RpcClient.connect: no FsLib given");
    const base = path.replace(/\/+$/, "");
    const clone = `${base}/${CLONE}`;
    const ctl = await withLiveMount(first, clone, () => first.getFile(clone, opts));
    const session = decoder.decode(ctl).trim();
    const data = `${base}/${session}-rpc/${DATA}`;
    const conns: Conn[] = [];
    try {
      for (const fsl of all) {
        const fd = await withLiveMount(fsl, data, () => fsl.open(data, Mode.ORDWR, opts));
        conns.push({ fsl, fd });
      }
    } catch (e) {
      await closeAll(conns);
      throw e;
    }
    return new RpcClient(base, session, conns);
  }

  /**
   * One call: `method` is `Service.Method`, `args` the encoded request record; resolves with the
   * reply record, undecoded. A failure the server reports rejects with RemoteError.
   */
  call(method: string, args: unknown[], opts?: RpcCallOptions): Promise<unknown> {
    // Closed is reported as a rejection, like every other failure of a call. Not async, and a
    // single `then` rather than await + finally: this is every call's hot path.
    let conn: Conn;
    let req: Uint8Array;
    try {
      conn = this.#pick();
      req = encodeRequest(method, args);
    } catch (e) {
      return Promise.reject(e);
    }
    const t0 = performance.now();
    return conn.fsl.writeRead(conn.fd, req, opts).then(
      (reply) => {
        try {
          return decodeReply(method, reply);
        } finally {
          this.#record(method, t0);
        }
      },
      (e: unknown) => {
        this.#record(method, t0);
        throw e;
      },
    );
  }

  /** This client's calls per method, round trips timed here. */
  stats(): Record<string, MethodStat> {
    return this.#stats.snapshot();
  }

  /** The server's `stats` file. */
  async statsSrv(opts?: RpcCallOptions): Promise<RpcStatsFile> {
    const conn = this.#pick();
    const text = decoder.decode(await conn.fsl.getFile(`${this.path}/${STATS}`, opts));
    return JSON.parse(text) as RpcStatsFile;
  }

  /** Closes the `data-rpc` descriptors; the FsLibs stay the caller's. */
  async close(): Promise<void> {
    await closeAll(this.#conns.splice(0));
  }

  #record(method: string, t0: number): void {
    this.#stats.record(method, (performance.now() - t0) * 1000);
  }

  #pick(): Conn {
    const conns = this.#conns;
    const i = this.#next;
    this.#next = i + 1 >= conns.length ? 0 : i + 1;
    const c = conns[i];
    if (c === undefined) throw new SigmaError(ErrCode.Closed, this.path, `closed: ${this.path}`);
    return c;
  }
}

async function closeAll(conns: readonly Conn[]): Promise<void> {
  // A session that already ended has freed its fds; closing is best effort.
  await Promise.all(conns.map((c) => c.fsl.close(c.fd).catch(() => undefined)));
}
