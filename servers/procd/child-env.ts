/**
 * A proc's environment, built from nothing: procd's own environment (which may hold its secrets)
 * never reaches a proc. What a proc gets, in this order (later wins):
 *
 * 1. from procd's environment, only the variables named by `passEnv` (default PATH, LANG,
 *    LANGUAGE, LC_*, TZ: how to find programs and speak the locale);
 * 2. the spawner's variables, only those named by `allowEnv` (default none): a caller who may set
 *    LD_PRELOAD, NODE_OPTIONS or GLIBC_TUNABLES runs code of its choosing, so nothing is let in
 *    unless the operator names it;
 * 3. HOME and TMPDIR, both the proc's own working directory;
 * 4. the proc protocol's variables (SIGMA_NAMED, SIGMA_PID, SIGMA_PROCDIR, …, proc-env.ts), and
 *    SIGMA_TOKEN / SIGMA_TLS_CA when procd has them for the proc (proc-credentials.ts).
 *
 * Names of the last two groups, and those of the first, are reserved: a spawner's variable with
 * such a name is refused, not silently dropped. So is one that `allowEnv` does not name.
 */
import { ErrCode } from "../../generated/sigmap/types.js";
import { SigmaError } from "../../runtime/errors/index.js";

/** What procd passes from its own environment unless told otherwise. */
export const DEFAULT_PASS_ENV: readonly string[] = ["PATH", "LANG", "LANGUAGE", "LC_*", "TZ"];

const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** A spawner's variables together; beyond it exec fails (E2BIG) or memory is wasted. */
const MAX_CALLER_BYTES = 64 * 1024;

/** Name patterns: an exact name, or a prefix ending in `*`. */
export function matchesAny(name: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => (p.endsWith("*") ? name.startsWith(p.slice(0, -1)) : name === p));
}

/** The variables of procd's environment that `passEnv` names. */
export function passedEnv(
  from: NodeJS.ProcessEnv,
  passEnv: readonly string[],
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(from)) {
    if (v !== undefined && matchesAny(k, passEnv)) out[k] = v;
  }
  return out;
}

export interface ChildEnvInput {
  /** procd's passed-through variables (passedEnv). */
  base: Readonly<Record<string, string>>;
  /** The patterns of `passEnv`: reserved for procd, as are the names below. */
  passEnv: readonly string[];
  /** The spawner's variables. */
  caller: ReadonlyMap<string, string>;
  allowEnv: readonly string[];
  /** The proc's working directory: HOME and TMPDIR. */
  workDir: string;
  /** The proc protocol's variables (procEnvVars). */
  protocol: Readonly<Record<string, string>>;
  /** A token for the proc's own user (proc-credentials.ts), passed as SIGMA_TOKEN. */
  token: string | null;
  /** The CA file the proc's FsLib trusts, passed as SIGMA_TLS_CA. */
  tlsCaFile: string | null;
}

/** The proc's environment; a refused spawner variable is Inval naming it. */
export function childEnv(i: ChildEnvInput): Record<string, string> {
  const env: Record<string, string> = { ...i.base };
  let bytes = 0;
  for (const [k, v] of i.caller) {
    const refuse = (why: string): never => {
      throw new SigmaError(ErrCode.Inval, k, `environment variable ${k}: ${why}`);
    };
    if (!NAME_RE.test(k)) refuse("not a variable name");
    if (k.startsWith("SIGMA_") || k === "HOME" || k === "TMPDIR" || matchesAny(k, i.passEnv)) {
      refuse("reserved: procd sets it");
    }
    if (!matchesAny(k, i.allowEnv)) refuse("not accepted from spawners (procd's --allow-env)");
    if (v.includes("\0")) refuse("value contains a NUL");
    bytes += k.length + v.length + 2;
    if (bytes > MAX_CALLER_BYTES) refuse(`variables exceed ${MAX_CALLER_BYTES} bytes`);
    env[k] = v;
  }
  env.HOME = i.workDir;
  env.TMPDIR = i.workDir;
  if (i.token !== null) env.SIGMA_TOKEN = i.token;
  if (i.tlsCaFile !== null) env.SIGMA_TLS_CA = i.tlsCaFile;
  return { ...env, ...i.protocol };
}
