/**
 * The rename race of issue 10: `racers` clients each list name/todo and rename every entry into
 * name/done, until todo is empty and the creator is done, while one more client creates `files`
 * files in todo. Every racer tries every entry it listed, so most renames lose (Notfound): the
 * work is racers x files attempts. Returns the wall time in seconds until done holds every file.
 */
import { ErrCode, Mode } from "../../../generated/sigmap/types.js";
import type { FsLib } from "../../../runtime/client/fslib/fslib.js";
import { isErr } from "../../../runtime/errors/index.js";

export async function renameRace(
  connect: () => Promise<FsLib>,
  racers: number,
  files: number,
): Promise<number> {
  const creator = await connect();
  const clients = await Promise.all(Array.from({ length: racers }, connect));
  try {
    await creator.mkDir("name/todo", 0o777);
    await creator.mkDir("name/done", 0o777);
    let creating = true;
    const t0 = performance.now();
    const create = (async () => {
      for (let i = 0; i < files; i++) {
        await creator.putFile(`name/todo/f${i}`, 0o644, Mode.OWRITE, new Uint8Array(10));
      }
      creating = false;
    })();
    const race = async (fsl: FsLib): Promise<void> => {
      for (;;) {
        const wasCreating = creating;
        const entries = await fsl.getDir("name/todo");
        if (entries.length === 0 && !wasCreating) return;
        for (const e of entries) {
          await fsl.rename(`name/todo/${e.name}`, `name/done/${e.name}`).catch((err: unknown) => {
            if (!isErr(err, ErrCode.Notfound)) throw err;
          });
        }
      }
    };
    await Promise.all([create, ...clients.map(race)]);
    const seconds = (performance.now() - t0) / 1000;
    const done = (await creator.getDir("name/done")).length;
    if (done !== files) throw new Error(`rename race: done holds ${done} of ${files}`);
    return seconds;
  } finally {
    await Promise.all([creator, ...clients].map((c) => c.exit().catch(() => undefined)));
  }
}
