#!/usr/bin/env node
/** The `sigma` command: see bin/run-sigma.ts. */
import { runSigma } from "./run-sigma.js";

const code = await runSigma(process.argv.slice(2), process);
process.exitCode = code;
// A closed stdout ends the command, as SIGPIPE ends a Unix tool, even with work still under way.
if (process.stdout.destroyed) process.exit(code);
