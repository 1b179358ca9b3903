/**
 * The client library (spec 6): FsLib and what its API mentions. The layers below it (fidclnt,
 * pathclnt, fdclnt) stay reachable through their own folders, and FsLib's conveniences as
 * functions over FsLibCore through their modules in fslib/.
 */
export {
  FsLib,
  FsLibCore,
  DEFAULTS,
  type FsLibOptions,
  type LastMount,
  type DirListing,
} from "./fslib/fslib.js";
export type { CallOpts } from "./call-limits.js";
export type { Offset } from "./fd/offsets.js";
export type { Watch, OpenWatchResult } from "./fslib/watch.js";
export { Reader, AsyncReader, READER_BUFFER, READ_AHEAD } from "./fslib/readers.js";
export { Writer, AsyncWriter, WRITER_BUFFER, type ByteSink } from "./fslib/writers.js";
export {
  errPath,
  isErrExists,
  isErrNotfound,
  isErrRetry,
  isErrSessClosed,
  isErrStale,
  isErrUnavailable,
  isErrUnreachable,
  isErrVersion,
  isMaybeSpecialElem,
} from "./errors.js";
export {
  decodeMountRecord,
  decodeSymlink,
  encodeMountRecord,
  hasMountMarker,
  MOUNT_RECORD_VERSION,
  type SymlinkTarget,
} from "./path/mount-record.js";
export { parsePath, splitPath, joinPath, isUnionElem, type ParsedPath } from "./split-path.js";
export type { ClientSession, OpenSession } from "./fid/session-port.js";
export { decodeDirEntries } from "./path/dir-entries.js";
export { netName, netWithTls, recordTransport, type Transport } from "./path/addr-tls.js";
export { namedEpochs, type NamedEpochFacts } from "./fslib/named-epochs.js";
