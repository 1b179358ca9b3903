/**
 * `sigma ls|cat|put|rm|mkdir|stat|tree|watch|rename`: the namespace from the shell. Each command
 * connects to named (--named or SIGMA_NAMED), does its work, detaches, and reports failures as
 * one line with exit code 1. `--json` prints one JSON value per path instead of text.
 */
import { fstatSync } from "node:fs";
import { pipeline } from "node:stream/promises";
import type { Command } from "commander";
import { ErrCode, Perm } from "../../generated/sigmap/types.js";
import { isErrNotfound, type FsLib } from "../../runtime/client/index.js";
import { isErr, SigmaError } from "../../runtime/errors/index.js";
import { errorLine, withPath } from "./cli-errors.js";
import type { CliIo, SetExit } from "./cli-io.js";
import type { ConnectFlags } from "./connect.js";
import { runWithNamed } from "./fs-run.js";
import { toJson } from "./json-out.js";
import { printable } from "./printable.js";
import { ProgressMeter } from "./progress.js";
import { entryName, formatStat, isDir, kindOf, statJson, type Kind } from "./stat-format.js";
import { diffListings, eventText, fileEvent, type WatchEvent } from "./watch-events.js";

export type { Out } from "./cli-io.js";
/** Out plus the byte streams `cat` writes to and `put` reads from. */
export type FsIo = CliIo;

interface Flags extends ConnectFlags {
  json?: boolean;
}

export function registerFsCommands(program: Command, setExit: SetExit, io: CliIo): void {
  const cmd = (name: string, description: string, json: string) =>
    program
      .command(name)
      .description(description)
      .option("--named <addrs>", "named's address(es), host:port[,host:port]; default $SIGMA_NAMED")
      .option("--uname <name>", "user name recorded as owner; default $USER")
      .option("--token <token>", "token to present (sigma token issue); default $SIGMA_TOKEN")
      .option("--tls-ca <file>", "dial over TLS, trusting this CA (PEM); default $SIGMA_TLS_CA")
      .option("--json", json);
  /** Runs `f` connected; its number (default 0) is the exit code. */
  const run = async (flags: Flags, f: (fsl: FsLib) => Promise<number | void>) =>
    setExit(await runWithNamed(flags, async (fsl) => (await f(fsl)) ?? 0));
  const emit = (flags: Flags, json: unknown, text: () => string) =>
    io.out(flags.json ? toJson(json) + "\n" : text());

  cmd("ls", "list directories", "print each directory's entries as JSON stats")
    .argument("<paths...>")
    .action((paths: string[], f: Flags) =>
      run(f, async (fsl) => {
        for (const p of paths) {
          const entries = await withPath(p, () => fsl.getDir(p));
          emit(f, entries.map(statJson), () => entries.map((e) => entryName(e) + "\n").join(""));
        }
      }),
    );

  cmd("cat", "print files; go on past missing ones", 'print each file as {"path","data"}')
    .argument("<paths...>")
    .action((paths: string[], f: Flags) =>
      run(f, async (fsl) => {
        let code = 0;
        for (const p of paths) {
          try {
            await catOne(fsl, p, f, io);
          } catch (e) {
            if (io.signal.aborted) return 0;
            io.err(errorLine(e, p, { mounts: fsl.mounts() }) + "\n");
            code = 1;
          }
        }
        return code;
      }),
    );

  cmd("put", "write standard input to a file, replacing it", 'print {"path","length"}')
    .argument("<path>")
    .option("--ephemeral", "remove the file when this command's session ends")
    .action((path: string, f: Flags & { ephemeral?: boolean }) =>
      run(f, async (fsl) => {
        const perm = 0o777 | (f.ephemeral ? Perm.DMTMP : 0);
        const meter = new ProgressMeter(`put ${printable(path)}`, stdinSize(io), io.stderr);
        try {
          await withPath(path, () => pipeline(io.stdin, meter, fsl.createWriteStream(path, perm)));
        } finally {
          await meter.done();
        }
        emit(f, { path, length: String(meter.bytes) }, () => "");
      }),
    );

  cmd("rm", "remove files or (with -r) directory trees", 'print {"path","removed"} per path')
    .argument("<paths...>")
    .option("-r, --recursive", "remove directories and their contents")
    .action((paths: string[], f: Flags & { recursive?: boolean }) =>
      run(f, async (fsl) => {
        for (const p of paths) {
          await withPath(p, () => (f.recursive ? fsl.rmDir(p) : fsl.remove(p)));
          emit(f, { path: p, removed: true }, () => "");
        }
      }),
    );

  cmd("mkdir", "make directories", 'print {"path","created"} per path')
    .argument("<paths...>")
    .option("-p, --parents", "make missing parents too, and accept existing directories")
    .action((paths: string[], f: Flags & { parents?: boolean }) =>
      run(f, async (fsl) => {
        for (const p of paths) {
          const created = await withPath(p, () => (f.parents ? mkdirAll(fsl, p) : mkdir(fsl, p)));
          emit(f, { path: p, created }, () => "");
        }
      }),
    );

  cmd("stat", "show metadata", "as JSON")
    .argument("<paths...>")
    .action((paths: string[], f: Flags) =>
      run(f, async (fsl) => {
        for (const p of paths) {
          const st = await withPath(p, () => fsl.stat(p));
          emit(f, statJson(st), () => formatStat(p, st) + "\n");
        }
      }),
    );

  cmd("tree", "show a directory tree", "as nested JSON")
    .argument("<path>")
    .action((path: string, f: Flags) =>
      run(f, async (fsl) => {
        const tree = await withPath(path, () => walkTree(fsl, path));
        emit(f, tree, () => renderTree(path, tree));
      }),
    );

  cmd(
    "watch",
    "wait until a file is removed or a directory changes; say what happened",
    'print {"path","events":[…]}',
  )
    .argument("<path>")
    .action((path: string, f: Flags) =>
      run(f, async (fsl) => {
        const { dir, events } = await withPath(path, () => watchOnce(fsl, path));
        emit(f, { path: dir, events }, () =>
          events.map((e) => printable(eventText(dir, e)) + "\n").join(""),
        );
      }),
    );

  cmd("rename", "rename or move a file or directory", 'print {"from","to"}')
    .argument("<from>")
    .argument("<to>")
    .action((from: string, to: string, f: Flags) =>
      run(f, async (fsl) => {
        await withPath(from, () => fsl.rename(from, to));
        emit(f, { from, to }, () => "");
      }),
    );
}

/** Copies one file to stdout (or prints it as JSON); a directory is Isdir. */
async function catOne(fsl: FsLib, path: string, f: Flags, io: CliIo): Promise<void> {
  const st = await fsl.stat(path);
  if (isDir(st)) throw new SigmaError(ErrCode.Isdir, path);
  const src = fsl.createReadStream(path);
  if (f.json) {
    const chunks: Uint8Array[] = [];
    for await (const c of src) chunks.push(c as Uint8Array);
    io.out(toJson({ path, data: Buffer.concat(chunks) }) + "\n");
    return;
  }
  const meter = new ProgressMeter(`cat ${printable(path)}`, Number(st.length), quietIfTty(io));
  try {
    await pipeline(src, meter, io.stdout, { end: false, signal: io.signal });
  } finally {
    await meter.done();
  }
}

/** stderr for the bar, unless stdout is a terminal too (the bar would land in the data). */
function quietIfTty(io: CliIo): CliIo["stderr"] | null {
  return (io.stdout as Partial<NodeJS.WriteStream>).isTTY === true ? null : io.stderr;
}

/** The size of stdin when it is a regular file (`sigma put x < file`), for the bar's total. */
function stdinSize(io: CliIo): number | undefined {
  const fd = (io.stdin as { fd?: unknown }).fd;
  if (typeof fd !== "number") return undefined;
  try {
    const st = fstatSync(fd);
    return st.isFile() ? st.size : undefined;
  } catch {
    return undefined;
  }
}

async function watchOnce(fsl: FsLib, path: string): Promise<{ dir: string; events: WatchEvent[] }> {
  if (await fsl.isDir(path)) {
    const { entries, fd } = await fsl.readDir(path);
    try {
      await firedOrChanged((await fsl.setDirWatch(fd)).fired);
    } finally {
      await fsl.close(fd).catch(() => undefined);
    }
    return { dir: path, events: diffListings(entries, await fsl.getDir(path)) };
  }
  const before = await fsl.stat(path);
  const dir = parentOf(path);
  await firedOrChanged((await fsl.setRemoveWatch(path)).fired);
  const now = await fsl.stat(path).catch((e: unknown) => {
    if (isErrNotfound(e)) return null;
    throw e;
  });
  const siblings = await fsl.getDir(dir).catch(() => []);
  return { dir, events: [fileEvent(before.name, before.qid.path, now, siblings)] };
}

/** A watch refused with Version fired before it was armed: the change has happened. */
async function firedOrChanged(fired: Promise<void>): Promise<void> {
  await fired.catch((e: unknown) => {
    if (!isErr(e, ErrCode.Version)) throw e;
  });
}

function parentOf(path: string): string {
  const parts = path.split("/").filter((s) => s !== "");
  return parts.slice(0, -1).join("/") || path;
}

async function mkdir(fsl: FsLib, path: string): Promise<boolean> {
  await fsl.mkDir(path);
  return true;
}

/** Makes `path` and its missing parents; whether `path` itself was made. */
async function mkdirAll(fsl: FsLib, path: string): Promise<boolean> {
  const parts = path.split("/").filter((s) => s !== "");
  let created = false;
  for (let i = 1; i <= parts.length; i++) {
    const p = parts.slice(0, i).join("/");
    created = !(await fsl.isDir(p).catch(() => false));
    if (created) await fsl.mkDir(p);
  }
  return created;
}

interface TreeNode {
  name: string;
  type: Kind;
  children?: TreeNode[];
}

async function walkTree(fsl: FsLib, path: string): Promise<TreeNode[]> {
  const out: TreeNode[] = [];
  for (const e of await fsl.getDir(path)) {
    const node: TreeNode = { name: e.name, type: kindOf(e) };
    if (isDir(e)) node.children = await walkTree(fsl, `${path}/${e.name}`);
    out.push(node);
  }
  return out;
}

function renderTree(root: string, nodes: TreeNode[]): string {
  const lines = [printable(root)];
  const walk = (ns: TreeNode[], prefix: string) => {
    ns.forEach((n, i) => {
      const last = i === ns.length - 1;
      const name = `${printable(n.name)}${n.type === "dir" ? "/" : ""}`;
      lines.push(`${prefix}${last ? "└── " : "├── "}${name}`);
      if (n.children) walk(n.children, prefix + (last ? "    " : "│   "));
    });
  };
  walk(nodes, "");
  return lines.join("\n") + "\n";
}
