/** Symlinks and named pipes (spec 6.5): a create with the file kind in perm, over FsLib's core. */
import { Mode, Perm } from "../../../generated/sigmap/types.js";
import type { CallOpts } from "../call-limits.js";
import type { FsLibCore } from "./core.js";

/** Creates the symlink `link` holding `target` (a path or an encoded mount record). */
export async function symlink(
  fsl: FsLibCore,
  target: string | Uint8Array,
  link: string,
  perm = 0o777,
  opts?: CallOpts,
): Promise<void> {
  const bytes = typeof target === "string" ? new TextEncoder().encode(target) : target;
  const fd = await fsl.create(link, perm | Perm.DMSYMLINK, Mode.OWRITE, opts);
  try {
    await fsl.write(fd, bytes, opts);
  } finally {
    await fsl.close(fd, opts);
  }
}

/** Creates a named pipe (opened ORDWR and closed, so the creator leaves the counts alone). */
export async function makePipe(
  fsl: FsLibCore,
  path: string,
  perm = 0o777,
  opts?: CallOpts,
): Promise<void> {
  const fd = await fsl.create(path, perm | Perm.DMNAMEDPIPE, Mode.ORDWR, opts);
  await fsl.close(fd, opts);
}
