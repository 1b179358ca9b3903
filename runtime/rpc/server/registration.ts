/**
 * A server's entry in named (spec 10.1): an ephemeral mount symlink holding its address. It
 * vanishes by itself when the registering session ends; a server closing while that session
 * lives on removes it, unless another server has replaced it meanwhile.
 */
import type { FsLib } from "../../client/index.js";
import { encodeMountRecord, netWithTls } from "../../client/index.js";
import { errorText } from "../../errors/index.js";
import { logger } from "../../log.js";

const log = logger("rpc");

export class Registration {
  readonly #fsl: FsLib;
  /** The symlink itself: `path`, or `path` + the address for a union entry. */
  readonly #link: string;
  readonly #record: Uint8Array;

  private constructor(fsl: FsLib, link: string, record: Uint8Array) {
    this.#fsl = fsl;
    this.#link = link;
    this.#record = record;
  }

  /** `tls`: the server speaks TLS, and its record says so (docs/security.md). */
  static async register(
    fsl: FsLib,
    path: string,
    addr: string,
    tls = false,
  ): Promise<Registration> {
    const net = netWithTls(fsl.realm, tls);
    const mount = { addr: [{ addr, net }], root: "", pubKey: new Uint8Array(0) };
    await fsl.mkMountSymlink(path, mount);
    const link = path.endsWith("/") ? `${path}${addr}` : path;
    return new Registration(fsl, link, encodeMountRecord(mount));
  }

  /** Best effort: the session may be gone, and with it the entry. */
  async remove(): Promise<void> {
    try {
      const now = await this.#fsl.getFile(this.#link);
      if (sameBytes(now, this.#record)) await this.#fsl.remove(this.#link);
    } catch (e) {
      log("unregister %s: %s", this.#link, errorText(e));
    }
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
