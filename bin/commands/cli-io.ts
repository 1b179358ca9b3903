/**
 * What every `sigma` command is given: text output, the byte streams, and a signal that says the
 * reader of standard output has gone (EPIPE). bin/run-sigma.ts builds it once per run.
 */
import type { Readable, Writable } from "node:stream";
import type { Command } from "commander";

/** Text output. Writes after standard output closed are dropped. */
export interface Out {
  out(s: string): void;
  err(s: string): void;
}

/** Out plus the byte streams and the run's end. */
export interface CliIo extends Out {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
  /**
   * Aborted when standard output was closed by its reader (`sigma ls | head -1`): the run is over
   * and exits 0, as a Unix tool ends on SIGPIPE. Long work may pass it on to stop early.
   */
  signal: AbortSignal;
}

/** Sets the run's exit code (a command that only throws needs none: see cli-errors.ts). */
export type SetExit = (code: number) => void;

/** How a room adds its commands to the `sigma` program. */
export type RegisterCommands = (program: Command, setExit: SetExit, io: CliIo) => void;
