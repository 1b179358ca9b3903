/** The command that replays one seed exactly: every option that differs from the defaults. */
import { SIM_DEFAULTS, type SimOptions } from "./run-seed.js";

export function replayCommand(o: SimOptions, out = "sim-out"): string {
  const d = SIM_DEFAULTS;
  const args = [`--seed ${o.seed}`];
  if (o.servers !== d.servers) args.push(`--servers ${o.servers}`);
  if (o.clients !== d.clients) args.push(`--clients ${o.clients}`);
  if (o.ops !== d.ops) args.push(`--ops ${o.ops}`);
  if (o.paths !== d.paths) args.push(`--paths ${o.paths}`);
  if (o.net.drop !== d.net.drop) args.push(`--drop ${o.net.drop}`);
  if (o.net.duplicate !== d.net.duplicate) args.push(`--duplicate ${o.net.duplicate}`);
  if (o.failpoints !== "") args.push(`--failpoints ${o.failpoints}`);
  return `npm run sim -- ${args.join(" ")} --out ${out}`;
}
