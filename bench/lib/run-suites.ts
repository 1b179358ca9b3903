/**
 * Runs selected suites one after another. A failing suite becomes a report with `error` (and
 * whatever rows it recorded) instead of aborting the run, so one broken suite does not hide the
 * numbers of the others.
 */
import { createSuiteContext } from "./context.js";
import { listSuites, loadSuite } from "./registry.js";
import type { SuiteReport } from "./report.js";
import { timingFor, type Timing } from "./timing.js";

export interface RunOptions {
  /** Suite names; empty means all. */
  names: readonly string[];
  smoke: boolean;
  timing?: Partial<Timing>;
  log: (message: string) => void;
  /** Called as each suite finishes, so that tables appear while later suites still run. */
  onReport: (report: SuiteReport) => void;
}

export async function runSuites(opts: RunOptions): Promise<SuiteReport[]> {
  const known = await listSuites();
  const unknown = opts.names.filter((n) => !known.includes(n));
  if (unknown.length > 0) {
    throw new Error(`unknown suite(s): ${unknown.join(", ")} (known: ${known.join(", ")})`);
  }
  const names = opts.names.length > 0 ? [...new Set(opts.names)] : known;
  const timing = timingFor(opts.smoke, opts.timing);

  const reports: SuiteReport[] = [];
  for (const name of names) {
    const log = (message: string): void => opts.log(`[${name}] ${message}`);
    const running = createSuiteContext({ smoke: opts.smoke, timing, log });
    const report: SuiteReport = { suite: name, smoke: opts.smoke, cases: running.cases };
    try {
      const suite = await loadSuite(name);
      await suite.run(running.ctx);
    } catch (e) {
      report.error = describe(e);
    }
    const cleanupErrors = await running.cleanup();
    if (cleanupErrors.length > 0 && report.error === undefined) {
      report.error = `cleanup: ${cleanupErrors.map(describe).join("; ")}`;
    }
    reports.push(report);
    opts.onReport(report);
  }
  return reports;
}

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
