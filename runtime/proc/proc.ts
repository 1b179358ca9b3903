/** A proc's description, as a parent builds it before spawning. */
import { randomBytes } from "node:crypto";
import path from "node:path";

/** How procd should start a Node program: a warm runtime if one is idle, always fresh, or warm. */
export type StartHow = "auto" | "cold" | "warm";

/** What to run, and as whom. */
export interface Proc {
  /** Unique name; `makeProc` derives it from the program. */
  pid: string;
  /**
   * A file in procd's bin directory, named relative to it (`hello.ts`, `tools/resize`); `.js`,
   * `.mjs`, `.ts`, `.mts` run on Node, anything else is executed. Never a shell command.
   */
  program: string;
  args: string[];
  /** Extra environment variables: procd accepts only those its `--allow-env` names. */
  env?: Record<string, string>;
  /** Default `auto`. */
  start?: StartHow;
  /** A directory inside the proc's own working directory (relative); default that directory. */
  cwd?: string;
  /** The procd to run it on; default one chosen by ProcClnt (a local one first). */
  kernel?: string;
}

/** The optional parts of a {@link Proc}. */
export type ProcOptions = Omit<Proc, "pid" | "program" | "args"> & { pid?: string };

/**
 * A proc for `program`, a name in procd's bin directory (passed as it is: procd resolves it); the
 * pid is the program's base name plus 8 random hex digits unless given.
 */
export function makeProc(
  program: string,
  args: readonly string[] = [],
  opts: ProcOptions = {},
): Proc {
  const base = path
    .basename(program)
    .replace(/\.[cm]?[jt]s$/, "")
    .replace(/[^A-Za-z0-9_.-]/g, "_");
  const { pid, ...rest } = opts;
  return {
    ...rest,
    pid: pid ?? `${base || "proc"}-${randomBytes(4).toString("hex")}`,
    program,
    args: [...args],
  };
}
