/**
 * The exit codes of every `sigma` command (the schema commands use the same values, see
 * codegen/cli.ts): 0 ok; 1 the command failed; 2 the schema is invalid; 64 bad usage (EX_USAGE).
 */
export const EXIT = { ok: 0, failed: 1, invalid: 2, usage: 64 } as const;
