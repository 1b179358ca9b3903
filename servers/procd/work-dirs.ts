/**
 * Per-proc working directories: `<root>/<pid>`, mode 0700, owned by the user procs run as, made
 * at spawn and removed when the proc ends. A proc starts there (its HOME and TMPDIR too); a
 * spawner may only pick a relative directory inside it, which procd creates. procd's own working
 * directory, and any path the spawner names elsewhere, are out of reach.
 *
 * The root is procd's: a fresh private temp directory by default (removed at close), or one the
 * operator gives, which must be procd's own and not writable by others. procd makes it searchable
 * (at least 0711) so that a proc running as another user reaches its own directory; with 0711 it
 * cannot list its neighbours.
 */
import { chmod, chown, mkdir, mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { ErrCode } from "../../generated/sigmap/types.js";
import { SigmaError } from "../../runtime/errors/index.js";
import { relativeElements } from "./relative-path.js";
import type { ProcUser } from "./confinement.js";

export class WorkDirs {
  readonly root: string;
  readonly #owner: ProcUser | null;
  readonly #created: boolean;

  private constructor(root: string, owner: ProcUser | null, created: boolean) {
    this.root = root;
    this.#owner = owner;
    this.#created = created;
  }

  /**
   * `dir`, checked, or a fresh temp directory; `owner` (null: procd's user) will own each proc's
   * directory, and must be able to reach the root (every directory above it searchable).
   */
  static async open(dir: string | undefined, owner: ProcUser | null): Promise<WorkDirs> {
    if (dir === undefined) {
      const root = await mkdtemp(path.join(tmpdir(), "sigma-procd-"));
      await chmod(root, 0o711);
      try {
        await checkReachable(path.dirname(root), owner);
      } catch (e) {
        await rm(root, { recursive: true, force: true });
        throw e;
      }
      return new WorkDirs(root, owner, true);
    }
    const root = path.resolve(dir);
    await mkdir(root, { recursive: true, mode: 0o711 });
    const st = await stat(root);
    if (!st.isDirectory()) throw new Error(`work directory ${dir}: not a directory`);
    if (process.getuid !== undefined && st.uid !== process.getuid()) {
      throw new Error(`work directory ${dir}: not owned by procd's user`);
    }
    if ((st.mode & 0o022) !== 0) {
      throw new Error(`work directory ${dir}: writable by group or others`);
    }
    // Procs of another user must reach their own directory inside.
    await chmod(root, (st.mode & 0o777) | 0o711);
    await checkReachable(path.dirname(root), owner);
    return new WorkDirs(root, owner, false);
  }

  /** Checks a spawner's `cwd` before anything is made: "" or a relative path (Inval otherwise). */
  checkCwd(cwd: string): void {
    if (cwd !== "") relativeElements(cwd, "cwd");
  }

  /** Makes `pid`'s directory (and `cwd` inside it); returns both paths. */
  async make(pid: string, cwd: string): Promise<{ dir: string; cwd: string }> {
    const dir = path.join(this.root, pid);
    try {
      await mkdir(dir, { mode: 0o700 });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      throw new SigmaError(ErrCode.Exists, pid, `pid in use: ${pid}`);
    }
    await this.#own(dir);
    if (cwd === "") return { dir, cwd: dir };
    let at = dir;
    for (const part of relativeElements(cwd, "cwd")) {
      at = path.join(at, part);
      await mkdir(at, { mode: 0o700 });
      await this.#own(at);
    }
    return { dir, cwd: at };
  }

  /** Removes `pid`'s directory and whatever the proc left in it. */
  async remove(pid: string): Promise<void> {
    await rm(path.join(this.root, pid), { recursive: true, force: true });
  }

  /** Removes the root if procd made it. */
  async close(): Promise<void> {
    if (this.#created) await rm(this.root, { recursive: true, force: true });
  }

  async #own(p: string): Promise<void> {
    if (this.#owner !== null) await chown(p, this.#owner.uid, this.#owner.gid);
  }
}

/**
 * Refuses a root that procs of `owner` could not reach: a warm runtime changes into its proc's
 * directory after dropping privileges, where the kernel checks every directory on the way.
 */
async function checkReachable(dir: string, owner: ProcUser | null): Promise<void> {
  if (owner === null) return;
  for (let d = dir; ; d = path.dirname(d)) {
    const st = await stat(d);
    const m = st.mode;
    const ok =
      (st.uid === owner.uid && (m & 0o100) !== 0) ||
      (st.gid === owner.gid && (m & 0o010) !== 0) ||
      (m & 0o001) !== 0;
    if (!ok) {
      throw new Error(
        `work directory: procs running as ${owner.uid}:${owner.gid} cannot reach it (${d} is not searchable by them)`,
      );
    }
    if (path.dirname(d) === d) return;
  }
}
