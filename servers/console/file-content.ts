/**
 * Reading a file for the viewer and the editor: at most the view cap, and always a version and
 * the content of that version together (the read is version-checked against the open, and a
 * file that moves meanwhile is read again), which is what a later save is checked against.
 */
import { ErrCode, Mode, type Stat } from "../../generated/sigmap/types.js";
import { type FsLib, isErrVersion } from "../../runtime/client/index.js";
import { SigmaError } from "../../runtime/errors/index.js";
import type { FileJson } from "./api-types.js";
import { kindOf } from "./entry-json.js";

/** Reads are retried this often when the file keeps moving under them. */
const ATTEMPTS = 5;

export async function loadFile(
  fsl: FsLib,
  path: string,
  cap: number,
  timeoutMs: number,
): Promise<FileJson> {
  const opts = { timeoutMs };
  for (let attempt = 1; ; attempt++) {
    const st = await fsl.stat(path, opts);
    if (kindOf(st.qid.type) === "dir") throw new SigmaError(ErrCode.NotFile, path);
    const fd = await fsl.open(path, Mode.OREAD, opts);
    try {
      if (fsl.qid(fd).version === st.qid.version) {
        return fileJson(path, st, await fsl.readV(fd, cap, opts));
      }
    } catch (e) {
      if (!isErrVersion(e)) throw e;
    } finally {
      await fsl.close(fd).catch(() => undefined);
    }
    if (attempt === ATTEMPTS) {
      throw new SigmaError(ErrCode.Retry, path, `retry: ${path} kept changing while being read`);
    }
  }
}

/** The API form of `data`, read from `path` at `st`'s version. */
export function fileJson(path: string, st: Stat, data: Uint8Array): FileJson {
  const size = Math.max(Number(st.length), data.length);
  const truncated = data.length < size;
  const text = asText(data, truncated);
  return {
    path,
    version: st.qid.version,
    size,
    truncated,
    text: text !== null,
    json: text !== null && data.length === size && isJson(text),
    content: text ?? Buffer.from(data).toString("base64"),
  };
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/** Text if valid UTF-8 without NUL bytes; the view cap may have split the last character. */
function asText(data: Uint8Array, truncated: boolean): string | null {
  if (data.includes(0)) return null;
  for (let cut = 0; cut < (truncated ? 4 : 1) && cut <= data.length; cut++) {
    try {
      return strictUtf8.decode(data.subarray(0, data.length - cut));
    } catch {
      // try a shorter tail
    }
  }
  return null;
}

function isJson(text: string): boolean {
  if (text.trim() === "") return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
