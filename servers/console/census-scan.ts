/**
 * A bounded walk of named's tree for the panels: the registrations (mount-record symlinks), the
 * elections (epoch files `<leader>-epoch`, docs/coordination.md) and the ephemeral objects.
 * Bounds on directories, entries and entries per directory keep one pass cheap on a large
 * namespace; what they cut is reported as `truncated`. The walk stays in named: it lists no
 * mounted server.
 */
import type { Stat } from "../../generated/sigmap/types.js";
import { type FsLib, isErrNotfound } from "../../runtime/client/index.js";
import { errorText } from "../../runtime/errors/index.js";
import type { EphemeralInfo } from "./api-types.js";
import { childPath, entryOf } from "./entry-json.js";

export interface ScanLimits {
  maxDirs: number;
  maxEntries: number;
  perDirEntries: number;
  /** Symlinks kept, ephemeral objects kept. */
  maxSymlinks: number;
  maxEphemeral: number;
  timeoutMs: number;
}

export interface ScanResult {
  dirs: number;
  entries: number;
  truncated: boolean;
  symlinks: string[];
  epochFiles: { path: string; st: Stat }[];
  ephemeral: EphemeralInfo[];
  errors: string[];
}

/** Every server root's fence table (spec 4.9, 10.1); the panels read it per server. */
export const FENCES_DIR = ".fences";

/** The suffix of an epoch file (EpochClnt). */
export const EPOCH_SUFFIX = "-epoch";

export async function scanNamed(fsl: FsLib, lim: ScanLimits): Promise<ScanResult> {
  const out: ScanResult = {
    dirs: 0,
    entries: 0,
    truncated: false,
    symlinks: [],
    epochFiles: [],
    ephemeral: [],
    errors: [],
  };
  const queue = ["name/"];
  while (queue.length > 0) {
    const dir = queue.shift() as string;
    if (out.dirs >= lim.maxDirs || out.entries >= lim.maxEntries) {
      out.truncated = true;
      break;
    }
    out.dirs++;
    let n = 0;
    try {
      for await (const st of fsl.dirEntries(dir, { timeoutMs: lim.timeoutMs })) {
        if (++n > lim.perDirEntries || ++out.entries > lim.maxEntries) {
          out.truncated = true;
          break;
        }
        const path = childPath(dir, st.name);
        const e = entryOf(st, path);
        if (e.ephemeral && out.ephemeral.length < lim.maxEphemeral) {
          out.ephemeral.push({ path, owner: e.owner, kind: e.kind, version: e.version });
        }
        if (e.kind === "dir") {
          if (!(dir === "name/" && st.name === FENCES_DIR)) queue.push(path);
        } else if (e.kind === "symlink") {
          if (out.symlinks.length < lim.maxSymlinks) out.symlinks.push(path);
        } else if (st.name.endsWith(EPOCH_SUFFIX) && st.name.length > EPOCH_SUFFIX.length) {
          out.epochFiles.push({ path, st });
        }
      }
    } catch (e) {
      // A directory removed while the walk reached it is not news.
      if (!isErrNotfound(e)) out.errors.push(`${dir}: ${errorText(e)}`);
    }
  }
  return out;
}
