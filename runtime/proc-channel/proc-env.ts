/**
 * The environment procd gives a proc: where named is, who the proc is, where its state lives in
 * named, and the descriptor of its channel to procd. Any executable can read these.
 */

/** The variable names. */
export const ProcEnvVar = {
  /** named's addresses, `host:port,host:port`. */
  named: "SIGMA_NAMED",
  /** The proc's pid (chosen by its parent). */
  pid: "SIGMA_PID",
  /** Its procdir in named: `name/schedd/<kernel>/pids/<pid>`. */
  procDir: "SIGMA_PROCDIR",
  /** Its parent's entry for it: `<parent procdir>/children/<pid>`. */
  parentDir: "SIGMA_PARENTDIR",
  /** The procd (kernel) running it. */
  kernel: "SIGMA_KERNEL",
  /** The descriptor of its line channel to procd (see procd-channel.ts). */
  channelFd: "SIGMA_PROCD_FD",
} as const;

/** A proc's identity, read from its environment. */
export interface ProcEnv {
  named: string[];
  pid: string;
  procDir: string;
  parentDir: string;
  kernel: string;
  /** null when the proc was not started by procd (no channel). */
  channelFd: number | null;
}

/** Whether `env` is a proc's environment (procd set SIGMA_PID and SIGMA_PROCDIR). */
export function isProcEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env[ProcEnvVar.pid] && env[ProcEnvVar.procDir]);
}

/** Reads a proc's environment; throws naming the first variable that is missing. */
export function readProcEnv(env: NodeJS.ProcessEnv = process.env): ProcEnv {
  const need = (name: string): string => {
    const v = env[name];
    if (v === undefined || v === "") throw new Error(`not a proc: ${name} is not set`);
    return v;
  };
  const fd = env[ProcEnvVar.channelFd];
  return {
    named: need(ProcEnvVar.named)
      .split(",")
      .filter((s) => s !== ""),
    pid: need(ProcEnvVar.pid),
    procDir: need(ProcEnvVar.procDir),
    parentDir: env[ProcEnvVar.parentDir] ?? "",
    kernel: env[ProcEnvVar.kernel] ?? "",
    channelFd: fd === undefined || fd === "" ? null : Number(fd),
  };
}

/** The variables for `p`, as procd passes them. */
export function procEnvVars(p: ProcEnv): Record<string, string> {
  const vars: Record<string, string> = {
    [ProcEnvVar.named]: p.named.join(","),
    [ProcEnvVar.pid]: p.pid,
    [ProcEnvVar.procDir]: p.procDir,
    [ProcEnvVar.parentDir]: p.parentDir,
    [ProcEnvVar.kernel]: p.kernel,
  };
  if (p.channelFd !== null) vars[ProcEnvVar.channelFd] = String(p.channelFd);
  return vars;
}
