/**
 * `sigma ls|cat|put|rm|mkdir|stat|tree|watch|rename`: the namespace from the shell. Each command
 * connects to named (--named or SIGMA_NAMED), does its work, detaches, and reports failures as
 * one line with exit code 1.
 */
import type { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Command } from "commander";
import { Perm, QType, type Stat } from "../../generated/sigmap/types.js";
import type { FsLib } from "../../runtime/client/index.js";
import { errorLine } from "./cli-errors.js";
import { connectNamed, type ConnectFlags } from "./connect.js";
import { toJson } from "./json-out.js";

interface Flags extends ConnectFlags {
  json?: boolean;
}

export interface Out {
  out(s: string): void;
  err(s: string): void;
}

/** Out plus the byte streams `cat` writes to and `put` reads from. */
export interface FsIo extends Out {
  stdin: Readable;
  stdout: Writable;
}

type Action = (fsl: FsLib, flags: Flags, io: FsIo) => Promise<void>;

export function registerFsCommands(
  program: Command,
  setExit: (code: number) => void,
  io: FsIo,
): void {
  const cmd = (name: string, description: string) =>
    program
      .command(name)
      .description(description)
      .option("--named <addrs>", "named's address(es), host:port[,host:port]; default $SIGMA_NAMED")
      .option("--uname <name>", "user name recorded as owner; default $USER");
  const run = (action: Action) => async (flags: Flags) => {
    setExit(await runAction(action, flags, io));
  };

  cmd("ls", "list directories")
    .argument("<paths...>")
    .option("--json", "print each directory's entries as JSON stats")
    .action((paths: string[], f: Flags) =>
      run(async (fsl, flags, o) => {
        for (const p of paths) {
          const entries = await withPath(p, () => fsl.getDir(p));
          if (flags.json) o.out(toJson(entries.map(statJson)) + "\n");
          else for (const e of entries) o.out(`${e.name}${isDir(e) ? "/" : ""}\n`);
        }
      })(f),
    );

  cmd("cat", "print files")
    .argument("<paths...>")
    .action((paths: string[], f: Flags) =>
      run(async (fsl, _flags, o) => {
        for (const p of paths) {
          await withPath(p, () => pipeline(fsl.createReadStream(p), o.stdout, { end: false }));
        }
      })(f),
    );

  cmd("put", "write standard input to a file, replacing it")
    .argument("<path>")
    .option("--ephemeral", "remove the file when this command's session ends")
    .action((path: string, f: Flags & { ephemeral?: boolean }) =>
      run(async (fsl, _flags, o) => {
        const perm = 0o777 | (f.ephemeral ? Perm.DMTMP : 0);
        await withPath(path, () => pipeline(o.stdin, fsl.createWriteStream(path, perm)));
      })(f),
    );

  cmd("rm", "remove files or (with -r) directory trees")
    .argument("<paths...>")
    .option("-r, --recursive", "remove directories and their contents")
    .action((paths: string[], f: Flags & { recursive?: boolean }) =>
      run(async (fsl) => {
        for (const p of paths)
          await withPath(p, () => (f.recursive ? fsl.rmDir(p) : fsl.remove(p)));
      })(f),
    );

  cmd("mkdir", "make directories")
    .argument("<paths...>")
    .option("-p, --parents", "make missing parents too, and accept existing directories")
    .action((paths: string[], f: Flags & { parents?: boolean }) =>
      run(async (fsl) => {
        for (const p of paths)
          await withPath(p, () => (f.parents ? mkdirAll(fsl, p) : fsl.mkDir(p)));
      })(f),
    );

  cmd("stat", "show metadata")
    .argument("<paths...>")
    .option("--json", "as JSON")
    .action((paths: string[], f: Flags) =>
      run(async (fsl, flags, o) => {
        for (const p of paths) {
          const st = await withPath(p, () => fsl.stat(p));
          o.out(flags.json ? toJson(statJson(st)) + "\n" : formatStat(p, st));
        }
      })(f),
    );

  cmd("tree", "show a directory tree")
    .argument("<path>")
    .option("--json", "as nested JSON")
    .action((path: string, f: Flags) =>
      run(async (fsl, flags, o) => {
        const tree = await withPath(path, () => walkTree(fsl, path));
        o.out(flags.json ? toJson(tree) + "\n" : renderTree(path, tree));
      })(f),
    );

  cmd("watch", "wait until a file is removed or a directory changes")
    .argument("<path>")
    .action((path: string, f: Flags) =>
      run(async (fsl, _flags, o) => {
        await withPath(path, async () => {
          if (await fsl.isDir(path)) {
            const { fd } = await fsl.readDir(path);
            await (
              await fsl.setDirWatch(fd)
            ).fired;
          } else {
            await (
              await fsl.setRemoveWatch(path)
            ).fired;
          }
        });
        o.out(`${path}: changed\n`);
      })(f),
    );

  cmd("rename", "rename or move a file or directory")
    .argument("<from>")
    .argument("<to>")
    .action((from: string, to: string, f: Flags) =>
      run(async (fsl) => withPath(from, () => fsl.rename(from, to)))(f),
    );
}

async function runAction(action: Action, flags: Flags, io: FsIo): Promise<number> {
  let fsl: FsLib | undefined;
  try {
    fsl = await connectNamed(flags);
    await action(fsl, flags, io);
    return 0;
  } catch (e) {
    io.err((e instanceof PathError ? errorLine(e.cause, e.path) : errorLine(e)) + "\n");
    return 1;
  } finally {
    await fsl?.close().catch(() => undefined);
  }
}

/** Carries the path a failure concerns, so the error line names what the user typed. */
class PathError extends Error {
  constructor(
    readonly path: string,
    override readonly cause: unknown,
  ) {
    super(path);
  }
}

async function withPath<T>(path: string, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    throw new PathError(path, e);
  }
}

function isDir(st: Stat): boolean {
  return (st.qid.type & QType.QTDIR) !== 0;
}

type Kind = "dir" | "file" | "symlink";

function kindOf(st: Stat): Kind {
  return isDir(st) ? "dir" : (st.qid.type & QType.QTSYMLINK) !== 0 ? "symlink" : "file";
}

function statJson(st: Stat) {
  return {
    name: st.name,
    type: kindOf(st),
    qid: st.qid,
    mode: st.mode,
    mtime: st.mtime,
    length: st.length,
    uid: st.uid,
  };
}

function formatStat(path: string, st: Stat): string {
  const j = statJson(st);
  return (
    `${path}: ${j.type}, ${st.length} bytes, version ${st.qid.version}, ` +
    `id ${st.qid.path.toString(16)}, owner ${st.uid || "-"}, mtime ${new Date(st.mtime * 1000).toISOString()}\n`
  );
}

async function mkdirAll(fsl: FsLib, path: string): Promise<void> {
  const parts = path.split("/").filter((s) => s !== "");
  for (let i = 1; i <= parts.length; i++) {
    const p = parts.slice(0, i).join("/");
    if (!(await fsl.isDir(p).catch(() => false))) await fsl.mkDir(p);
  }
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
  const lines = [root];
  const walk = (ns: TreeNode[], prefix: string) => {
    ns.forEach((n, i) => {
      const last = i === ns.length - 1;
      lines.push(`${prefix}${last ? "└── " : "├── "}${n.name}${n.type === "dir" ? "/" : ""}`);
      if (n.children) walk(n.children, prefix + (last ? "    " : "│   "));
    });
  };
  walk(nodes, "");
  return lines.join("\n") + "\n";
}
