/**
 * Where procs live in named (spec 9, with procd in schedd's place):
 *
 * ```
 * name/schedd/<kernel>/rpc             procd's registration (ephemeral mount symlink)
 * name/schedd/<kernel>/queue/<pid>     the proc's spec while procd starts it
 * name/schedd/<kernel>/running/<pid>   the same file once it runs
 * name/schedd/<kernel>/pids/<pid>/     procdir: exit-sem, evict-sem, children/
 * name/kpids/<pid>/                    procdir of a client that is not a proc (a test, the CLI)
 * <procdir>/children/<cpid>/           procfile-link, start-sem, then procdir (symlink), exit-status
 * ```
 */

/** The directory of every procd's state. */
export const SCHEDD_DIR = "name/schedd";
/** Procdirs of clients that are not procs. */
export const KPIDS_DIR = "name/kpids";

/** File names inside procdirs and children entries. */
export const ProcFile = {
  exitSem: "exit-sem",
  evictSem: "evict-sem",
  startSem: "start-sem",
  children: "children",
  tmpChildren: ".tmp.children",
  procfileLink: "procfile-link",
  procDirLink: "procdir",
  exitStatus: "exit-status",
} as const;

/** `name/schedd/<kernel>`. */
export function kernelDir(kernel: string): string {
  return `${SCHEDD_DIR}/${kernel}`;
}

/** Where procd `kernel` registers its RPC server. */
export function procdRpcPath(kernel: string): string {
  return `${kernelDir(kernel)}/rpc`;
}

/** The queue file of `pid` on `kernel`. */
export function queueFile(kernel: string, pid: string): string {
  return `${kernelDir(kernel)}/queue/${pid}`;
}

/** The running file of `pid` on `kernel`. */
export function runningFile(kernel: string, pid: string): string {
  return `${kernelDir(kernel)}/running/${pid}`;
}

/** The procdir of `pid` on `kernel`. */
export function procDirOf(kernel: string, pid: string): string {
  return `${kernelDir(kernel)}/pids/${pid}`;
}

/** A parent's entry for its child `pid`. */
export function childEntry(procDir: string, pid: string): string {
  return `${procDir}/${ProcFile.children}/${pid}`;
}

/** The kernel named in a queue file's path (what `procfile-link` holds); null if it is not one. */
export function kernelOfQueueFile(path: string): string | null {
  const m = /^name\/schedd\/([^/]+)\/queue\/[^/]+$/.exec(path);
  return m?.[1] ?? null;
}
