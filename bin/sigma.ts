#!/usr/bin/env node
/** The `sigma` command: see bin/run-sigma.ts. */
import { runSigma } from "./run-sigma.js";

process.exitCode = await runSigma(process.argv.slice(2), process);
