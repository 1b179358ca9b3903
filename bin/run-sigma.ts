/**
 * Builds and runs the `sigma` program against given streams, returning its exit code, so tests
 * can run commands in-process. What every command gets from here, without code of its own:
 *
 * - only its own room is loaded (COMMAND_GROUPS): `sigma ls` never imports the code generator;
 * - a thrown error becomes one line on stderr and exit 1 (cli-errors.ts); usage errors exit 64;
 * - a closed stdout (EPIPE: `sigma ls name/ | head -1`) ends the run quietly with exit 0;
 * - `--version`.
 */
import type { Readable, Writable } from "node:stream";
import { Command, CommanderError } from "commander";
import { errorLine, exitCodeOf } from "./commands/cli-errors.js";
import type { CliIo, RegisterCommands } from "./commands/cli-io.js";
import { EXIT } from "./commands/exit-codes.js";
import { FS_COMMAND_NAMES } from "./commands/fs-command-names.js";
import { loadOrExplain } from "./commands/generator-missing.js";
import { versionText } from "./commands/version.js";

export interface SigmaStdio {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
}

/** The commands one room registers, and how to load that room. */
export interface CommandGroup {
  names: readonly string[];
  load(): Promise<RegisterCommands>;
}

/**
 * Every room's commands. A run loads only the group of the command it runs (all of them for
 * help or an unknown command); tests/cli/command-groups.test.ts checks that `names` lists exactly
 * what `load` registers.
 */
export const COMMAND_GROUPS: readonly CommandGroup[] = [
  needsGenerator({
    names: ["gen", "check", "schema", "fmt", "compat"],
    load: async () => (await import("../codegen/cli.js")).registerCodegenCommands,
  }),
  {
    names: ["named"],
    load: async () => (await import("./commands/named-command.js")).registerNamedCommand,
  },
  {
    names: ["etcd-setup"],
    load: async () => (await import("./commands/etcd-setup-command.js")).registerEtcdSetupCommand,
  },
  {
    names: ["demo"],
    load: async () => (await import("./commands/demo-command.js")).registerDemoCommand,
  },
  {
    names: FS_COMMAND_NAMES,
    load: async () => (await import("./commands/fs-commands.js")).registerFsCommands,
  },
  needsGenerator({
    names: ["rpc"],
    load: async () => (await import("./commands/rpc-command.js")).registerRpcCommand,
  }),
  {
    names: ["procd", "spawn", "ps"],
    load: async () => (await import("./commands/proc-commands.js")).registerProcCommands,
  },
  {
    names: ["9p"],
    load: async () => (await import("./commands/ninep-command.js")).registerNinepCommand,
  },
  {
    names: ["console"],
    load: async () => (await import("./commands/console-command.js")).registerConsoleCommand,
  },
  {
    names: ["token"],
    load: async () => (await import("./commands/token-commands.js")).registerTokenCommands,
  },
  {
    names: ["lincheck"],
    load: async () => (await import("../verify/lincheck/cli.js")).registerLincheckCommand,
  },
];

/** A group whose room imports the code generator, an optional part of the package. */
function needsGenerator(group: CommandGroup): CommandGroup {
  return { names: group.names, load: () => loadOrExplain(group.names, group.load) };
}

export async function runSigma(argv: readonly string[], stdio: SigmaStdio): Promise<number> {
  const run = new OutputState(stdio);
  const io = run.io;
  const program = new Command("sigma")
    .description("sigmats: SigmaOS's sigmap protocol stack in TypeScript")
    .exitOverride()
    .showHelpAfterError()
    .configureOutput({ writeOut: io.out, writeErr: io.err });
  let exitCode: number = EXIT.ok;
  const setExit = (code: number): void => {
    exitCode = code;
  };
  const failed = (e: unknown): number => {
    if (io.signal.aborted) return EXIT.ok;
    // --help and --version are "errors" to commander but successes to the user.
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    io.err(errorLine(e) + "\n");
    return exitCodeOf(e);
  };
  const ran = (async () => {
    program.version(wantsVersion(argv) ? await versionText() : "", "-V, --version");
    for (const group of groupsFor(argv)) (await group.load())(program, setExit, io);
    await program.parseAsync(argv, { from: "user" });
    return exitCode;
  })().then((code) => run.finish(code), failed);
  const stdoutGone = new Promise<number>((resolve) =>
    io.signal.addEventListener("abort", () => resolve(EXIT.ok), { once: true }),
  );
  return Promise.race([ran, stdoutGone]);
}

/** The groups a run needs: the named command's, or every group. */
function groupsFor(argv: readonly string[]): readonly CommandGroup[] {
  const i = argv.findIndex((a) => !a.startsWith("-"));
  if (i < 0 && wantsVersion(argv)) return [];
  const name = argv[i] === "help" ? argv[i + 1] : argv[i];
  const hit = COMMAND_GROUPS.find((g) => name !== undefined && g.names.includes(name));
  return hit ? [hit] : COMMAND_GROUPS;
}

function wantsVersion(argv: readonly string[]): boolean {
  const first = argv[0];
  return first === "-V" || first === "--version";
}

/**
 * The run's output: writes are dropped once stdout's reader has gone (EPIPE), and any other
 * stdout failure (a full disk: ENOSPC) fails the run even when the command itself did not see it.
 */
class OutputState {
  readonly io: CliIo;
  readonly #gone = new AbortController();
  #stdoutError: Error | undefined;

  constructor(stdio: SigmaStdio) {
    // Listeners stay for the stream's life: a write still under way when the run returned must
    // not fail later with an unhandled 'error'.
    stdio.stdout.on("error", (e: NodeJS.ErrnoException) => {
      if (e.code === "EPIPE") this.#gone.abort(e);
      else this.#stdoutError ??= e;
    });
    stdio.stderr.on("error", () => undefined); // nowhere left to report it
    const write = (stream: Writable, s: string): void => {
      if (!this.#gone.signal.aborted && !stream.destroyed) stream.write(s);
    };
    this.io = {
      out: (s) => write(stdio.stdout, s),
      err: (s) => write(stdio.stderr, s),
      stdin: stdio.stdin,
      stdout: stdio.stdout,
      stderr: stdio.stderr,
      signal: this.#gone.signal,
    };
  }

  finish(code: number): number {
    if (this.#gone.signal.aborted) return 0;
    // A command that failed has said why; one that did not saw no error of its own.
    if (this.#stdoutError === undefined || code !== 0) return code;
    this.io.err(errorLine(this.#stdoutError, "standard output") + "\n");
    return EXIT.failed;
  }
}
