/**
 * The file commands' names, apart from their code: bin/sigma.ts routes a run to the bundled
 * client entry by them without loading anything else, and run-sigma.ts lists them as the fs
 * group's names.
 */
export const FS_COMMAND_NAMES: readonly string[] = [
  "ls",
  "cat",
  "put",
  "rm",
  "mkdir",
  "stat",
  "tree",
  "watch",
  "rename",
];
