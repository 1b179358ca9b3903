/**
 * procd's bin directory: the only programs procd runs. A spawn names a file relative to it
 * (`hello.ts`, `tools/resize`); absolute paths, `..` and anything whose real path (symlinks
 * resolved) leaves the directory are refused, and procd never runs a shell of its own. The
 * directory is the operator's: procd refuses one that others may write into, and refuses programs
 * that others may change.
 */
import { realpath, stat } from "node:fs/promises";
import path from "node:path";
import { ErrCode } from "../../generated/sigmap/types.js";
import { errorText, SigmaError } from "../../runtime/errors/index.js";
import { relativeElements } from "./relative-path.js";

const NODE_EXT = /\.(?:[cm]?js|[cm]?ts)$/;

export class BinDir {
  /** The directory's real path. */
  readonly root: string;

  private constructor(root: string) {
    this.root = root;
  }

  /** Opens `dir` (relative to the current directory); refuses a missing or world-writable one. */
  static async open(dir: string): Promise<BinDir> {
    let root: string;
    try {
      root = await realpath(dir);
    } catch (e) {
      throw new Error(`bin directory ${dir}: ${errorText(e)}`, { cause: e });
    }
    const st = await stat(root);
    if (!st.isDirectory()) throw new Error(`bin directory ${dir}: not a directory`);
    if ((st.mode & 0o002) !== 0) {
      throw new Error(`bin directory ${dir}: writable by others; anyone could add programs`);
    }
    return new BinDir(root);
  }

  /**
   * The real path of `program`, a file in this directory. Errors (SigmaError): Inval for a name
   * that is not a relative path inside it, or not a regular file; Notfound if it is not there;
   * Perm if its real path leaves the directory, others may write it, or an executable is not
   * executable.
   */
  async resolve(program: string): Promise<string> {
    relativeElements(program, "program");
    let real: string;
    try {
      real = await realpath(path.join(this.root, program));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "ENOENT" || code === "ENOTDIR") {
        throw new SigmaError(
          ErrCode.Notfound,
          program,
          `program ${program}: not in procd's bin directory`,
        );
      }
      throw new SigmaError(ErrCode.Inval, program, `program ${program}: ${errorText(e)}`);
    }
    if (!real.startsWith(this.root + path.sep)) {
      throw new SigmaError(
        ErrCode.Perm,
        program,
        `program ${program}: resolves outside procd's bin directory`,
      );
    }
    const st = await stat(real);
    if (!st.isFile()) {
      throw new SigmaError(ErrCode.Inval, program, `program ${program}: not a regular file`);
    }
    if ((st.mode & 0o002) !== 0) {
      throw new SigmaError(ErrCode.Perm, program, `program ${program}: writable by others`);
    }
    if (!NODE_EXT.test(real) && (st.mode & 0o111) === 0) {
      throw new SigmaError(ErrCode.Perm, program, `program ${program}: not executable`);
    }
    return real;
  }
}
