/**
 * Sessions as FsLib's core offers them: replacing a closed session and re-attaching the mounts
 * that used it. Its fds, fences and ephemeral files are gone for good (spec 3.6).
 */
import type { Limits } from "../call-limits.js";
import { splitPath } from "../split-path.js";
import type { CoreLayers } from "./core-layers.js";

/** FsLibCore.reopenSession. */
export async function reopenSession(l: CoreLayers, path: string, lim: Limits): Promise<void> {
  const { mount } = l.paths.resolve(splitPath(path), true);
  const old = mount.value.entry;
  await l.fids.pool.reopen(old.addrs);
  for (const m of [...l.paths.mounts.entries()]) {
    if (m.value.entry !== old || old.closedEvent === undefined) continue;
    l.paths.mounts.removeIf(m.path, m.value);
    await l.paths.attachMount(m.path, m.value.mount, m.value.auto, lim, m.value.source);
  }
}
