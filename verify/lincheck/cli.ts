/**
 * `sigma lincheck HISTORY.json [--json] [--html OUT.html]`: exit 0 linearizable, 1 not (the
 * path and the smallest window of ops that cannot be ordered), 2 malformed input (one line naming
 * the op's index and field). Registered lazily by bin/run-sigma.ts; imports nothing of runtime/.
 */
import { readFile, writeFile } from "node:fs/promises";
import type { Command } from "commander";
import { checkHistory } from "./check.js";
import { HistoryError, parseHistory } from "./history.js";
import { htmlReport } from "./html.js";
import { jsonReport, textReport } from "./report.js";

/** The exit codes of `sigma lincheck`. */
export const LINCHECK_EXIT = { linearizable: 0, violation: 1, malformed: 2 } as const;

interface Out {
  out(s: string): void;
  err(s: string): void;
}

export function registerLincheckCommand(
  program: Command,
  setExit: (code: number) => void,
  io: Out,
): void {
  program
    .command("lincheck")
    .description("check that a recorded history of file ops is linearizable (docs/verification.md)")
    .argument("<history>", 'the history, JSON: { model: "files", ops: [...] }')
    .option("--json", "print { ok, paths, ops, violations } as JSON")
    .option("--html <out>", "write a timeline of each failing path to this HTML file")
    .action(async (file: string, o: { json?: boolean; html?: string }) => {
      setExit(await lincheck(file, o, io));
    });
}

async function lincheck(
  file: string,
  o: { json?: boolean; html?: string },
  io: Out,
): Promise<number> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    io.err(`lincheck: ${file}: ${(e as Error).message}\n`);
    return LINCHECK_EXIT.malformed;
  }
  let history;
  try {
    history = parseHistory(text);
  } catch (e) {
    if (!(e instanceof HistoryError)) throw e;
    io.err(`lincheck: ${file}: ${e.message}\n`);
    return LINCHECK_EXIT.malformed;
  }
  const result = checkHistory(history);
  io.out(o.json === true ? jsonReport(result) + "\n" : textReport(result, history));
  if (o.html !== undefined) await writeFile(o.html, htmlReport(result, history));
  return result.ok ? LINCHECK_EXIT.linearizable : LINCHECK_EXIT.violation;
}
