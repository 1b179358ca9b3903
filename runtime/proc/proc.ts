/** A proc's description, as a parent builds it before spawning. */
import { randomBytes } from "node:crypto";
import path from "node:path";

/** How procd should start a Node program: a warm runtime if one is idle, always fresh, or warm. */
export type StartHow = "auto" | "cold" | "warm";

/** What to run, and as whom. */
export interface Proc {
  /** Unique name; `makeProc` derives it from the program. */
  pid: string;
  /** An executable (looked up in procd's PATH) or a path; `.js`/`.mjs`/`.ts`/`.mts` run on Node. */
  program: string;
  args: string[];
  /** Extra environment variables. */
  env?: Record<string, string>;
  /** Default `auto`. */
  start?: StartHow;
  /** The proc's working directory; default procd's. */
  cwd?: string;
  /** The procd to run it on; default one chosen by ProcClnt (a local one first). */
  kernel?: string;
}

/** The optional parts of a {@link Proc}. */
export type ProcOptions = Omit<Proc, "pid" | "program" | "args"> & { pid?: string };

/**
 * A proc for `program`: a path (relative to this process's working directory) becomes absolute,
 * so that procd finds it wherever it runs; the pid is the program's base name plus 8 random hex
 * digits unless given.
 */
export function makeProc(
  program: string,
  args: readonly string[] = [],
  opts: ProcOptions = {},
): Proc {
  const prog = program.includes("/") ? path.resolve(program) : program;
  const base = path
    .basename(prog)
    .replace(/\.[cm]?[jt]s$/, "")
    .replace(/[^A-Za-z0-9_.-]/g, "_");
  const { pid, ...rest } = opts;
  return {
    ...rest,
    pid: pid ?? `${base || "proc"}-${randomBytes(4).toString("hex")}`,
    program: prog,
    args: [...args],
  };
}
