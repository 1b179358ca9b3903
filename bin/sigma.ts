#!/usr/bin/env node
/**
 * The `sigma` command. Each room registers its own subcommands; this file only wires them and
 * turns commander's usage errors into exit code 64.
 */
import { Command, CommanderError } from "commander";
import { EXIT, registerCodegenCommands } from "../codegen/cli.js";
import { registerDemoCommand } from "./commands/demo-command.js";
import { registerFsCommands } from "./commands/fs-commands.js";
import { registerNamedCommand } from "./commands/named-command.js";

const program = new Command("sigma")
  .description("sigmats: SigmaOS's sigmap protocol stack in TypeScript")
  .exitOverride()
  .showHelpAfterError();

let exitCode: number = EXIT.ok;
const setExit = (code: number): void => {
  exitCode = code;
};
const io = {
  out: (s: string) => void process.stdout.write(s),
  err: (s: string) => void process.stderr.write(s),
};
registerCodegenCommands(program, setExit, io);
registerNamedCommand(program, setExit, io);
registerDemoCommand(program, setExit, io);
registerFsCommands(program, setExit, io);

try {
  await program.parseAsync(process.argv);
  process.exitCode = exitCode;
} catch (e) {
  if (e instanceof CommanderError) {
    // --help and --version are "errors" to commander but successes to the user.
    process.exitCode = e.exitCode === 0 ? EXIT.ok : EXIT.usage;
  } else {
    process.stderr.write(`sigma: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = EXIT.failed;
  }
}
