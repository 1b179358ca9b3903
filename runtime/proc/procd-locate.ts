/**
 * Finding procds in named: each registers at `name/schedd/<kernel>/rpc`. A parent prefers a procd
 * on its own host (SigmaOS spawns on the `~local` schedd), else takes the first.
 */
import type { FsLib, CallOpts } from "../client/index.js";
import { isErrNotfound } from "../client/index.js";
import { procdRpcPath, SCHEDD_DIR } from "./proc-paths.js";

/** A registered procd: its kernel id and its RPC server's address. */
export interface ProcdEntry {
  kernel: string;
  addr: string;
}

/** Every procd registered now, in name order. */
export async function listProcds(fsl: FsLib, opts?: CallOpts): Promise<ProcdEntry[]> {
  const out: ProcdEntry[] = [];
  let kernels: string[];
  try {
    kernels = (await fsl.getDir(SCHEDD_DIR, opts)).map((st) => st.name);
  } catch (e) {
    if (isErrNotfound(e)) return out;
    throw e;
  }
  const found = await Promise.all(
    kernels.map(async (kernel) => {
      try {
        const mnt = await fsl.readMount(procdRpcPath(kernel), opts);
        return { kernel, addr: mnt.addr[0]?.addr ?? "" };
      } catch (e) {
        if (isErrNotfound(e)) return null; // a procd that has gone leaves its directory
        throw e;
      }
    }),
  );
  for (const f of found) if (f !== null) out.push(f);
  return out;
}

/** A procd for a new proc: on this host if there is one, else the first; null if none. */
export async function pickProcd(fsl: FsLib, opts?: CallOpts): Promise<ProcdEntry | null> {
  const all = await listProcds(fsl, opts);
  const ip = fsl.getLocalIp();
  const local = all.find((p) => {
    const host = p.addr.slice(0, p.addr.lastIndexOf(":"));
    return host === ip || host === "127.0.0.1" || host === "" || host === "localhost";
  });
  return local ?? all[0] ?? null;
}
