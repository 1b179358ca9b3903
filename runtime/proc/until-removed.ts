/**
 * Waiting for a path to disappear. A watch fires on any change of the watched object (for a
 * directory, also a change inside it), so one firing is not proof of removal: look again until
 * the walk itself says Notfound.
 */
import { type CallOpts, type FsLib, isErrNotfound, isErrVersion } from "../client/index.js";
import { callBudget } from "../coord/call-budget.js";

/** Resolves once `path` does not exist; one deadline (`opts`) covers the whole wait. */
export async function untilRemoved(fsl: FsLib, path: string, opts?: CallOpts): Promise<void> {
  const budget = callBudget(opts);
  for (;;) {
    try {
      const w = await fsl.setRemoveWatch(path, budget());
      await w.fired;
    } catch (e) {
      if (isErrNotfound(e)) return;
      if (!isErrVersion(e)) throw e;
    }
  }
}
