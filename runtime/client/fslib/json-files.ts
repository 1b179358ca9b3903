/**
 * JSON helpers of FsLib: whole files as JSON, streams of JSON values, and length-prefixed records.
 */
import { ErrCode, Mode, NoOffset } from "../../../generated/sigmap/types.js";
import { SigmaError } from "../../errors/index.js";
import type { CallOpts } from "../call-limits.js";
import type { FsLibCore } from "./core.js";
import { getFileWatch, openAsyncReader } from "./readers.js";
import { JsonValueSplitter } from "./json-values.js";
import type { ByteSink } from "./writers.js";

const enc = new TextEncoder();

/** Parses `path` as JSON. */
export async function getFileJson<T>(fsl: FsLibCore, path: string, opts?: CallOpts): Promise<T> {
  return parse<T>(await fsl.getFile(path, opts), path);
}

/** Writes `value` as JSON at offset 0 (OWRITE, no truncation). */
export function setFileJson(
  fsl: FsLibCore,
  path: string,
  value: unknown,
  opts?: CallOpts,
): Promise<number> {
  return fsl.setFile(path, toJson(value), Mode.OWRITE, 0, opts);
}

/** Appends `value` as JSON. */
export function appendFileJson(
  fsl: FsLibCore,
  path: string,
  value: unknown,
  opts?: CallOpts,
): Promise<number> {
  return fsl.setFile(path, toJson(value), Mode.OAPPEND, NoOffset, opts);
}

/** putFile of `value` as JSON. */
export function putFileJson(
  fsl: FsLibCore,
  path: string,
  perm: number,
  value: unknown,
  mode: number,
  opts?: CallOpts,
): Promise<number> {
  return fsl.putFile(path, perm, mode, toJson(value), opts);
}

/** putFileAtomic of `value` as JSON. */
export function putFileJsonAtomic(
  fsl: FsLibCore,
  path: string,
  perm: number,
  value: unknown,
  opts?: CallOpts,
): Promise<void> {
  return fsl.putFileAtomic(path, perm, toJson(value), opts);
}

/** Waits for `path` to exist, then parses it. */
export async function getFileJsonWatch<T>(
  fsl: FsLibCore,
  path: string,
  opts?: CallOpts,
): Promise<T> {
  return parse<T>(await getFileWatch(fsl, path, opts), path);
}

/** The JSON values of `path`, streamed. */
export async function* jsonReader(
  fsl: FsLibCore,
  path: string,
  opts?: CallOpts,
): AsyncGenerator<unknown, void, undefined> {
  const splitter = new JsonValueSplitter();
  for await (const chunk of chunks(fsl, path, opts)) yield* splitter.push(chunk);
  yield* splitter.end();
}

/** The records of `path` (4-byte big-endian length, then the bytes), streamed. */
export async function* recordReader(
  fsl: FsLibCore,
  path: string,
  opts?: CallOpts,
): AsyncGenerator<Uint8Array, void, undefined> {
  let buf = new Uint8Array(0);
  for await (const chunk of chunks(fsl, path, opts)) {
    const joined = new Uint8Array(buf.length + chunk.length);
    joined.set(buf, 0);
    joined.set(chunk, buf.length);
    buf = joined;
    let at = 0;
    while (buf.length - at >= 4) {
      const n = new DataView(buf.buffer, buf.byteOffset + at, 4).getUint32(0);
      if (buf.length - at - 4 < n) break;
      yield buf.slice(at + 4, at + 4 + n);
      at += 4 + n;
    }
    buf = buf.slice(at);
  }
  if (buf.length > 0) {
    throw new SigmaError(ErrCode.Inval, path, `invalid argument: truncated record in ${path}`);
  }
}

/** Writes one record: length, then `value` as JSON. */
export async function writeJsonRecord(
  writer: ByteSink,
  value: unknown,
  opts?: CallOpts,
): Promise<void> {
  const body = toJson(value);
  const rec = new Uint8Array(4 + body.length);
  new DataView(rec.buffer).setUint32(0, body.length);
  rec.set(body, 4);
  await writer.write(rec, opts);
}

async function* chunks(
  fsl: FsLibCore,
  path: string,
  opts?: CallOpts,
): AsyncGenerator<Uint8Array, void, undefined> {
  const rdr = await openAsyncReader(fsl, path, 0, opts);
  try {
    for (;;) {
      const data = await rdr.read(rdr.bufferSize);
      if (data.length === 0) return;
      yield data;
    }
  } finally {
    await rdr.close();
  }
}

function toJson(value: unknown): Uint8Array {
  return enc.encode(JSON.stringify(value));
}

function parse<T>(bytes: Uint8Array, path: string): T {
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) as T;
  } catch (e) {
    throw new SigmaError(ErrCode.Inval, path, `invalid argument: bad JSON in ${path}`, {
      cause: e,
    });
  }
}
