/**
 * The proc tests' world: named in the test process, one procd as a real process, and a
 * SigmaClnt acting as the parent of every proc the test spawns.
 */
import { SigmaClnt } from "../../runtime/proc/index.js";
import type { Named } from "../../servers/named/index.js";
import type { Store } from "../support/store-matrix.js";
import { startProcdChild, type ProcdChild, type ProcdChildOptions } from "./procd-child.js";

export { PROCS_DIR, testProcUser } from "./procd-child.js";

/** A proc program of tests/proc/procs/, named as a spawn names it: relative to procd's bin dir. */
export function procProgram(name: string): string {
  return name;
}

export interface ProcCluster {
  named: Named;
  procd: ProcdChild;
  /** The parent: a client with its procdir in name/kpids. */
  sc: SigmaClnt;
  /** Closes the parent, stops procd, closes named. */
  close(): Promise<void>;
}

let next = 0;

/** named on `store` with session timeout `timeoutMs`, a procd with `warm` runtimes, a parent. */
export async function startProcCluster(
  store: Store,
  opts: { warm?: number; timeoutMs?: number; procd?: Partial<ProcdChildOptions> } = {},
): Promise<ProcCluster> {
  const timeoutMs = opts.timeoutMs ?? 1000;
  const named = await store.startNamed({ sessionTimeoutMs: timeoutMs });
  let procd: ProcdChild | undefined;
  try {
    const kernel = `test-${process.pid}-${next++}`;
    procd = await startProcdChild(named.addr, {
      ...opts.procd,
      kernel,
      warm: opts.warm,
      sessionTimeoutMs: timeoutMs,
    });
    const sc = await SigmaClnt.connect({
      named: named.addr,
      uname: "parent",
      localIp: "127.0.0.1",
      sessionTimeoutMs: timeoutMs,
    });
    const p = procd;
    return {
      named,
      procd: p,
      sc,
      close: async () => {
        await sc.close();
        await p.stop();
        await named.close();
      },
    };
  } catch (e) {
    await procd?.kill();
    await named.close();
    throw e;
  }
}
