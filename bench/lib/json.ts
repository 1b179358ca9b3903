/**
 * Writes `--json` output: one suite's report as an object, several as an array of those objects
 * in run order. The single-suite form is the common case (CI runs one suite per step) and keeps
 * `jq .cases` working; consumers of a multi-suite run get the array.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { SuiteReport } from "./report.js";

export async function writeJsonReport(
  file: string,
  reports: readonly SuiteReport[],
): Promise<void> {
  const body = reports.length === 1 ? reports[0] : reports;
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(body, null, 2)}\n`);
}
