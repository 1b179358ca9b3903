#!/usr/bin/env node
/** The `sigma` command: see bin/run-sigma.ts. */
import { FS_COMMAND_NAMES } from "./commands/fs-command-names.js";

const argv = process.argv.slice(2);
// A file command starts from the bundled entry (sigma-client.ts); anything else, including a
// file command after a global option, from the modules themselves. Both run the same code.
const entry = FS_COMMAND_NAMES.includes(argv[0] ?? "") ? "./sigma-client.js" : "./run-sigma.js";
const { runSigma } = (await import(entry)) as typeof import("./run-sigma.js");
const code = await runSigma(argv, process);
process.exitCode = code;
// A closed stdout ends the command, as SIGPIPE ends a Unix tool, even with work still under way.
if (process.stdout.destroyed) process.exit(code);
