export type {
  ByteObj,
  CreateOptions,
  Device,
  DeviceHandlers,
  Dir,
  DirEntry,
  File,
  FsObj,
  ObjKind,
  ObjMeta,
  Pipe,
  RenameResult,
  Symlink,
  WaitContext,
} from "./types.js";
export type { FenceStore, StoredFence } from "./fence-store.js";
export { Cond, sessClosedError } from "./wait.js";
export { compareNames } from "./names.js";
export { SortedNames } from "./sorted-names.js";
export { entryBytes, utf8Bytes, type EntryFields } from "./stat-size.js";
export { checkVersion } from "./version-check.js";
export { MemFs, splitPath, type MemFsOptions } from "./memfs.js";
export { MemDir, memDirOf, type MemObj } from "./mem-dir.js";
export { MemNode, OBJECT_BYTES, type MemStore } from "./mem-node.js";
export { MemFile, MemSymlink } from "./mem-bytes.js";
export { MemPipe } from "./mem-pipe.js";
export { MemDevice } from "./mem-device.js";
export { PIPE_CAPACITY } from "./pipe-ring.js";
export { MAX_FILE_SIZE, PAGE_BYTES } from "./byte-buffer.js";
