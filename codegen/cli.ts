/**
 * The schema-side `sigma` commands: gen, check, schema, fmt, compat. Each returns an exit code
 * rather than exiting, so tests can run them in-process.
 *
 * Exit codes: 0 ok; 1 the check failed (generated/ stale, files unformatted, breaking changes);
 * 2 the schema is invalid; 64 bad usage (set by bin/sigma.ts).
 */
import { watch } from "node:fs";
import path from "node:path";
import { Option, type Command } from "commander";
import { runCompat } from "./compat-cli.js";
import {
  diagnosticsToJson,
  hasErrors,
  relocateDiagnostics,
  renderDiagnostics,
  type Diagnostic,
} from "./diagnostics.js";
import { runFmt } from "./format-cli.js";
import type { RuntimeImports } from "./emit/index.js";
import { generate } from "./generate.js";
import { loadSchemaDir } from "./load.js";
import { setFlags } from "./annotations.js";
import type { Model } from "./model.js";
import { scaffoldHandlers } from "./scaffold.js";
import { schemaToJson } from "./schema-json.js";

export const EXIT = { ok: 0, failed: 1, invalid: 2, usage: 64 } as const;

type Format = "text" | "json";

export interface Io {
  out(s: string): void;
  err(s: string): void;
}

const stdio: Io = {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
};

export function registerCodegenCommands(
  program: Command,
  setExit: (code: number) => void,
  io: Io = stdio,
): void {
  const root = () => process.cwd();
  program
    .command("gen")
    .description("regenerate generated/ from schema/ (and scaffold missing handlers)")
    .option("--check", "fail if generated/ is stale instead of writing")
    .option("--watch", "regenerate whenever a schema file changes")
    .option("--no-prettier", "skip formatting (only for measuring its cost)")
    .option("--no-scaffold", "do not add handler stubs to hand-written servers")
    .option("--format <format>", "diagnostics as text or json", "text")
    .addOption(
      new Option("--runtime <imports>", "how generated code imports the runtime").choices([
        "relative",
        "package",
      ]),
    )
    .action(
      async (o: {
        check?: boolean;
        watch?: boolean;
        prettier: boolean;
        scaffold: boolean;
        format: Format;
        runtime?: RuntimeImports;
      }) => {
        const run = () =>
          runGen(
            {
              projectRoot: root(),
              check: !!o.check,
              prettier: o.prettier,
              scaffold: o.scaffold,
              format: o.format,
              ...(o.runtime === undefined ? {} : { runtime: o.runtime }),
            },
            io,
          );
        setExit(await run());
        if (o.watch) await watchSchema(root(), run, io);
      },
    );
  program
    .command("check")
    .description("check the schema and print its diagnostics")
    .option("--format <format>", "text or json", "text")
    .action(async (o: { format: Format }) => {
      const r = await loadSchemaDir(path.join(root(), "schema"));
      setExit(report(r.diagnostics, r.sources, o.format, io) ? EXIT.invalid : EXIT.ok);
    });
  program
    .command("schema")
    .description("print the resolved schema model")
    .option("--json", "as JSON (the stable shape documented in docs/codegen.md)")
    .option("--summary", "as a human-readable summary of the protocol")
    .option("--format <format>", "diagnostics as text or json", "text")
    .action(async (o: { json?: boolean; summary?: boolean; format: Format }) => {
      const r = await loadSchemaDir(path.join(root(), "schema"));
      if (report(r.diagnostics, r.sources, o.format, io) || !r.model) return setExit(EXIT.invalid);
      io.out(o.json ? JSON.stringify(schemaToJson(r.model), null, 2) + "\n" : summarize(r.model));
      setExit(EXIT.ok);
    });
  program
    .command("fmt")
    .description("format .sigmap files canonically")
    .argument("[files...]", "files to format (default: every schema file)")
    .option("--check", "fail if any file is not formatted, without writing")
    .action(async (files: string[], o: { check?: boolean }) => {
      const r = await runFmt({
        projectRoot: root(),
        check: !!o.check,
        ...(files.length ? { files } : {}),
      });
      io.out(r.output);
      setExit(r.exitCode);
    });
  program
    .command("compat")
    .description("report breaking changes against another version of the schema")
    .requiredOption("--against <ref>", "a git ref, or a directory holding schema/")
    .option("--format <format>", "text or json", "text")
    .action(async (o: { against: string; format: Format }) => {
      const r = await runCompat({ projectRoot: root(), against: o.against, format: o.format });
      io.out(r.output);
      setExit(r.exitCode);
    });
}

export async function runGen(
  opts: {
    projectRoot: string;
    check: boolean;
    prettier: boolean;
    format: Format;
    /** Add handler stubs to hand-written servers after writing. Default true. */
    scaffold?: boolean;
    /** How generated code imports the runtime; default by project (see generate). */
    runtime?: RuntimeImports;
  },
  io: Io = stdio,
): Promise<number> {
  const r = await generate({
    projectRoot: opts.projectRoot,
    check: opts.check,
    prettier: opts.prettier,
    ...(opts.runtime === undefined ? {} : { runtime: opts.runtime }),
  });
  if (report(r.diagnostics, r.sources, opts.format, io)) return EXIT.invalid;
  for (const p of r.problems) io.err(`sigma gen: ${p}\n`);
  const changed = r.files.filter((f) => f.changed).map((f) => f.path);
  if (opts.check) {
    const stale = [...changed, ...r.stale.map((s) => `${s} (no longer generated)`)];
    if (stale.length || r.problems.length) {
      for (const s of stale) io.err(`stale: ${s}\n`);
      if (stale.length)
        io.err("generated/ is out of date: run `npm run gen` and commit the result\n");
      return EXIT.failed;
    }
    io.out(`generated/ is up to date (${r.files.length} files, ${Math.round(r.ms)} ms)\n`);
    return EXIT.ok;
  }
  const scaffolded =
    opts.scaffold === false
      ? { changed: [] }
      : await scaffoldHandlers({ projectRoot: opts.projectRoot });
  for (const c of scaffolded.changed) io.out(`scaffolded ${c.added.join(", ")} in ${c.file}\n`);
  io.out(
    `generated ${r.files.length} files (${changed.length} changed, ${r.stale.length} removed) in ${Math.round(r.ms)} ms\n`,
  );
  return r.problems.length ? EXIT.failed : EXIT.ok;
}

/** Prints diagnostics; true when any is an error. */
function report(
  diags: readonly Diagnostic[],
  sources: Map<string, string>,
  format: Format,
  io: Io,
): boolean {
  if (format === "json") {
    if (diags.length)
      io.err(diagnosticsToJson(relocateDiagnostics(diags, sources, "schema/").diagnostics));
  } else if (diags.length) {
    const shown = relocateDiagnostics(diags, sources, "schema/");
    io.err(renderDiagnostics(shown.diagnostics, shown.sources));
  }
  return hasErrors(diags);
}

async function watchSchema(projectRoot: string, run: () => Promise<number>, io: Io): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  let running = Promise.resolve(0);
  io.out("watching schema/ for changes (Ctrl-C to stop)\n");
  const w = watch(path.join(projectRoot, "schema"), { recursive: true }, (_event, file) => {
    if (!file?.endsWith(".sigmap")) return;
    clearTimeout(timer);
    // Editors write in bursts; one regeneration per burst.
    timer = setTimeout(() => {
      running = running.then(run);
    }, 50);
  });
  await new Promise<void>((resolve) => {
    process.once("SIGINT", () => {
      w.close();
      resolve();
    });
  });
}

function summarize(m: Model): string {
  const lines = [
    `protocol ${m.protocol.name} version ${m.protocol.version} (fingerprint ${m.fingerprint})`,
    "",
    "  #  message       reply        flags",
  ];
  for (const msg of m.messages.filter((x) => x.kind === "request")) {
    const flags = setFlags(msg.flags);
    lines.push(
      `${String(msg.type).padStart(3)}  ${msg.name.padEnd(12)}  ${(msg.reply ?? "").padEnd(11)}  ${flags.join(" ")}`,
    );
  }
  lines.push(
    "",
    `${m.messages.length} messages, ${m.structs.length} structs, ${m.errors.length} error codes, ${m.services.length} services`,
  );
  return lines.join("\n") + "\n";
}
