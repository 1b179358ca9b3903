/**
 * The code generator's packages are optional peers of sigmats (docs/codegen.md): an application
 * that only uses the runtime does not install them. A command group that needs them (gen, check,
 * fmt, compat, schema; rpc, which reads the service schemas) still appears in `sigma help`, and
 * running it says in one line what to install instead of a module-resolution stack trace.
 */
import { CliError } from "./cli-errors.js";
import type { RegisterCommands } from "./cli-io.js";

/** package.json's optional peerDependencies; tests/package-exports.test.ts holds them equal. */
export const GENERATOR_PACKAGES = [
  "@babel/code-frame",
  "handlebars",
  "ohm-js",
  "prettier",
  "ts-morph",
] as const;

export const INSTALL_GENERATOR = `npm install --save-dev ${GENERATOR_PACKAGES.join(" ")}`;

/** The generator package `e` failed to find, if that is what `e` is. */
export function missingGeneratorPackage(e: unknown): string | undefined {
  if ((e as NodeJS.ErrnoException | null)?.code !== "ERR_MODULE_NOT_FOUND") return undefined;
  const name = /Cannot find (?:package|module) '([^']+)'/.exec(String((e as Error).message))?.[1];
  return GENERATOR_PACKAGES.find((p) => name === p || name?.includes(`/node_modules/${p}/`));
}

/**
 * `load`, or, when the generator is not installed, a registration of `names` whose every run
 * fails with the line that says what to install.
 */
export async function loadOrExplain(
  names: readonly string[],
  load: () => Promise<RegisterCommands>,
): Promise<RegisterCommands> {
  try {
    return await load();
  } catch (e) {
    const missing = missingGeneratorPackage(e);
    if (missing === undefined) throw e;
    const line = `${names[0]} needs the code generator (${missing} is not installed): ${INSTALL_GENERATOR}`;
    return (program) => {
      for (const name of names) {
        program
          .command(name)
          .description(`(needs the code generator: ${INSTALL_GENERATOR})`)
          .allowUnknownOption()
          .allowExcessArguments()
          .helpOption(false)
          .action(() => {
            throw new CliError(line.replace(names[0]!, name));
          });
      }
    };
  }
}
