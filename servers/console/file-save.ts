/**
 * Saving from the editor with the version it loaded (optimistic concurrency over sigmap
 * versions, spec 4.3). The save is refused with 409 Version, carrying the file as it is now,
 * whenever the file moved since that version.
 *
 * A save that keeps or grows the length is one TwriteV at offset 0 carrying the loaded version,
 * so the server checks and writes in one step. sigmap has no versioned truncation, so a save
 * that shortens the file checks the version on open and then replaces the content with one
 * Tputfile: readers see the old or the new content, never a mix, but a write by someone else in
 * the one round trip between that check and the put is overwritten (docs/console.md).
 */
import { ErrCode, Mode } from "../../generated/sigmap/types.js";
import { type FsLib, isErrVersion } from "../../runtime/client/index.js";
import { ApiError } from "./api-errors.js";
import type { FileJson } from "./api-types.js";
import { loadFile } from "./file-content.js";

export interface SaveLimits {
  viewCapBytes: number;
  timeoutMs: number;
}

/** Writes `data` to `path` if it is still at `version`; returns the file as it is afterwards. */
export async function saveFile(
  fsl: FsLib,
  path: string,
  version: number,
  data: Uint8Array,
  lim: SaveLimits,
): Promise<FileJson> {
  const opts = { timeoutMs: lim.timeoutMs };
  const st = await fsl.stat(path, opts);
  if (st.qid.version !== version) throw await conflict(fsl, path, version, lim);
  const fd = await fsl.open(path, Mode.OWRITE, opts);
  try {
    if (fsl.qid(fd).version !== version) throw await conflict(fsl, path, version, lim);
    if (data.length >= Number(st.length)) {
      await fsl.writeV(fd, data, opts);
    } else {
      await fsl.putFile(path, 0o777, Mode.OWRITE, data, opts);
    }
  } catch (e) {
    if (isErrVersion(e)) throw await conflict(fsl, path, version, lim);
    throw e;
  } finally {
    await fsl.close(fd).catch(() => undefined);
  }
  return loadFile(fsl, path, lim.viewCapBytes, lim.timeoutMs);
}

async function conflict(
  fsl: FsLib,
  path: string,
  version: number,
  lim: SaveLimits,
): Promise<ApiError> {
  const current = await loadFile(fsl, path, lim.viewCapBytes, lim.timeoutMs);
  return new ApiError(
    409,
    "Version",
    `conflict: ${path} changed since version ${version} was loaded (it is at version ` +
      `${current.version} now); nothing was saved`,
    { code: ErrCode.Version, obj: String(current.version), current },
  );
}
