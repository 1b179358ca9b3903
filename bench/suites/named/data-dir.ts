/**
 * etcd's temporary data directory. The keeper removes it on exit; a keeper killed by SIGKILL
 * cannot, so each directory's name carries its keeper's pid and the next keeper removes the
 * directories of keepers that are gone.
 */
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const PREFIX = "sigmats-bench-etcd-";

/** Creates this process's directory after sweeping those of dead keepers. */
export function makeDataDir(): string {
  sweepOrphans();
  return mkdtempSync(join(tmpdir(), `${PREFIX}${process.pid}-`));
}

export function removeDataDir(dir: string): void {
  // A dying etcd may still be closing a WAL file; the retries absorb ENOTEMPTY.
  rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 10 });
}

function sweepOrphans(): void {
  for (const name of readdirSync(tmpdir())) {
    const pid = Number(/^sigmats-bench-etcd-(\d+)-/.exec(name)?.[1]);
    if (Number.isInteger(pid) && pid > 0 && !alive(pid)) removeDataDir(join(tmpdir(), name));
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: alive, someone else's.
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}
