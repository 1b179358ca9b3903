/**
 * Finds the file an exec proc will run, as execvp(3) would, before procd starts it. Under setpriv
 * a missing program is only "exited with code 127" and setpriv's reason lands in procd's own
 * stderr; checked here, the reason goes back to the spawner as the Spawn's error.
 */
import { constants } from "node:fs";
import { access, stat } from "node:fs/promises";
import path from "node:path";
import { ErrCode } from "../../generated/sigmap/types.js";
import { SigmaError } from "../../runtime/errors/index.js";

/**
 * Resolves `program` (a path, or a name looked up on `pathVar`) to an executable file. Errors:
 * Notfound (no such file, or not on PATH), Perm (not executable), NotFile (a directory).
 */
export async function findExecutable(
  program: string,
  pathVar: string | undefined,
  cwd: string,
): Promise<string> {
  if (program.includes("/")) {
    const file = path.resolve(cwd, program);
    const why = await unusable(file);
    if (why === null) return file;
    throw refusal(program, why);
  }
  const dirs = (pathVar ?? "").split(":").map((d) => (d === "" ? "." : d));
  let denied: SigmaError | null = null;
  for (const dir of dirs) {
    const file = path.resolve(cwd, dir, program);
    const why = await unusable(file);
    if (why === null) return file;
    if (why.code !== ErrCode.Notfound) denied ??= refusal(program, why);
  }
  throw denied ?? refusal(program, { code: ErrCode.Notfound, text: "not found on PATH" });
}

/** Checks that a Node proc's module exists (Node's own refusal would stay in procd's stderr). */
export async function checkModule(module: string, cwd: string): Promise<void> {
  const st = await stat(path.resolve(cwd, module)).catch(() => null);
  if (st === null) throw refusal(module, { code: ErrCode.Notfound, text: "no such file" });
  if (st.isDirectory()) throw refusal(module, { code: ErrCode.NotFile, text: "is a directory" });
}

interface Unusable {
  code: number;
  text: string;
}

async function unusable(file: string): Promise<Unusable | null> {
  const st = await stat(file).catch(() => null);
  if (st === null) return { code: ErrCode.Notfound, text: "no such file" };
  if (st.isDirectory()) return { code: ErrCode.NotFile, text: "is a directory" };
  const ok = await access(file, constants.X_OK).then(
    () => true,
    () => false,
  );
  return ok ? null : { code: ErrCode.Perm, text: "not executable (permission denied)" };
}

function refusal(program: string, why: Unusable): SigmaError {
  return new SigmaError(why.code, program, `cannot start ${program}: ${why.text}`);
}
