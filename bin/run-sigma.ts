/**
 * Builds and runs the `sigma` program against given streams, returning its exit code, so tests
 * can run commands in-process. Each room registers its own subcommands; usage errors exit 64.
 */
import type { Readable, Writable } from "node:stream";
import { Command, CommanderError } from "commander";
import { EXIT, registerCodegenCommands } from "../codegen/cli.js";
import { registerConsoleCommand } from "./commands/console-command.js";
import { registerDemoCommand } from "./commands/demo-command.js";
import { registerFsCommands } from "./commands/fs-commands.js";
import { registerNamedCommand } from "./commands/named-command.js";
import { registerNinepCommand } from "./commands/ninep-command.js";
import { registerProcCommands } from "./commands/proc-commands.js";
import { registerRpcCommand } from "./commands/rpc-command.js";
import { registerTokenCommands } from "./commands/token-commands.js";

export interface SigmaStdio {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
}

export async function runSigma(argv: readonly string[], stdio: SigmaStdio): Promise<number> {
  const io = {
    out: (s: string) => void stdio.stdout.write(s),
    err: (s: string) => void stdio.stderr.write(s),
    stdin: stdio.stdin,
    stdout: stdio.stdout,
  };
  const program = new Command("sigma")
    .description("sigmats: SigmaOS's sigmap protocol stack in TypeScript")
    .exitOverride()
    .showHelpAfterError()
    .configureOutput({ writeOut: io.out, writeErr: io.err });
  let exitCode: number = EXIT.ok;
  const setExit = (code: number): void => {
    exitCode = code;
  };
  registerCodegenCommands(program, setExit, io);
  registerNamedCommand(program, setExit, io);
  registerDemoCommand(program, setExit, io);
  registerFsCommands(program, setExit, io);
  registerRpcCommand(program, setExit, io);
  registerProcCommands(program, setExit, io);
  registerNinepCommand(program, setExit, io);
  registerConsoleCommand(program, setExit, io);
  registerTokenCommands(program, setExit, io);
  try {
    await program.parseAsync(argv, { from: "user" });
    return exitCode;
  } catch (e) {
    // --help and --version are "errors" to commander but successes to the user.
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    io.err(`sigma: ${e instanceof Error ? e.message : String(e)}\n`);
    return EXIT.failed;
  }
}
