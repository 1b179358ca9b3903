/**
 * The walkthrough demo (`npm start`): against a running named, performs Exercise 1 (create,
 * write, list, read back), shows a watch firing, and an ephemeral file disappearing when the
 * session that created it closes. Each step is printed as it happens.
 */
import { Mode, Perm } from "../../generated/sigmap/types.js";
import { FsLib } from "../../runtime/client/index.js";

export type Print = (line: string) => void;

const text = (b: Uint8Array): string => new TextDecoder().decode(b);
const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

export async function runWalkthroughDemo(named: string, print: Print): Promise<void> {
  const alice = await FsLib.connect({ named, uname: "alice" });
  try {
    print("== Exercise 1: create, write, list, read back");
    const dir = "name/tmp/walkthrough";
    await alice.mkDir(dir);
    print(`alice: mkdir ${dir}`);
    const fd = await alice.create(`${dir}/hello.txt`, 0o777, Mode.OWRITE);
    const n = await alice.write(fd, bytes("Hello, SigmaOS!\n"));
    await alice.close(fd);
    print(`alice: create ${dir}/hello.txt, write ${n} bytes, close`);
    await alice.putFile(`${dir}/notes.txt`, 0o777, Mode.OWRITE, bytes("one round trip\n"));
    print(`alice: putFile ${dir}/notes.txt (create and write in one request)`);
    const names = (await alice.getDir(dir)).map((s) => s.name);
    print(`alice: ls ${dir} -> ${names.join(", ")}`);
    print(
      `alice: getFile ${dir}/hello.txt -> ${JSON.stringify(text(await alice.getFile(`${dir}/hello.txt`)))}`,
    );

    print("== A watch firing");
    const bob = await FsLib.connect({ named, uname: "bob" });
    try {
      const { fd: dirFd } = await bob.readDir(dir);
      const watch = await bob.setDirWatch(dirFd);
      print(`bob: watching ${dir} for changes`);
      await alice.putFile(`${dir}/news.txt`, 0o777, Mode.OWRITE, bytes("extra!\n"));
      print(`alice: putFile ${dir}/news.txt`);
      await watch.fired;
      print(`bob: the watch fired: ${dir} changed`);
      await bob.close(dirFd);
    } finally {
      await bob.close();
    }

    print("== An ephemeral file disappearing with its session");
    const carol = await FsLib.connect({ named, uname: "carol" });
    const eph = `${dir}/carol-was-here`;
    await carol.putFile(eph, 0o777 | Perm.DMTMP, Mode.OWRITE, bytes("until I leave\n"));
    print(`carol: putFile ${eph} with DMTMP (ephemeral)`);
    const removed = await alice.setRemoveWatch(eph);
    print(`alice: ls ${dir} -> ${(await alice.getDir(dir)).map((s) => s.name).join(", ")}`);
    await carol.close();
    print("carol: session closed (Tdetach)");
    await removed.fired;
    print(
      `alice: ${eph} is gone; ls ${dir} -> ${(await alice.getDir(dir)).map((s) => s.name).join(", ")}`,
    );
  } finally {
    await alice.close();
  }
}
