/**
 * Spawns a program that dies with the process that spawned it. A Go server such as etcd does not
 * watch its parent; if the keeper that started it is killed by SIGKILL (no exit hook runs), the
 * kernel's parent-death signal, set through util-linux `setpriv --pdeathsig`, still ends it.
 * Without setpriv the program is spawned plainly and only the keeper's exit hook ends it.
 */
import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";
import { accessSync, constants } from "node:fs";

const SETPRIV = ["/usr/bin/setpriv", "/bin/setpriv"].find(executable);

export function spawnTied(bin: string, args: readonly string[], opts: SpawnOptions): ChildProcess {
  // setpriv execs the program, so the child's pid is the program's own.
  return SETPRIV === undefined
    ? spawn(bin, args, opts)
    : spawn(SETPRIV, ["--pdeathsig", "KILL", "--", bin, ...args], opts);
}

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
