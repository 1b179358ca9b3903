/**
 * `sigma demo` (`npm start`): starts named in this process on the embedded in-memory default,
 * runs the walkthrough demo against it, then keeps named serving for `sigma ls` and friends,
 * unless --exit.
 */
import type { Command } from "commander";
import { runWalkthroughDemo } from "../../servers/demo/walkthrough.js";
import { startNamed } from "../../servers/named/index.js";
import { errorLine } from "./cli-errors.js";
import { stopSignal } from "./stop-signal.js";
import type { Out } from "./cli-io.js";

export function registerDemoCommand(
  program: Command,
  setExit: (code: number) => void,
  io: Out,
): void {
  program
    .command("demo")
    .description("start named and run the walkthrough demo against it")
    .option("--exit", "stop named and exit when the demo is done")
    .option("--port <port>", "named's port (0: any free port)", "0")
    .action(async (o: { exit?: boolean; port: string }) => {
      const named = await startNamed({ port: Number(o.port) });
      io.out(`named listening on ${named.addr}\n`);
      try {
        await runWalkthroughDemo(named.addr, (line) => io.out(line + "\n"));
      } catch (e) {
        io.err(errorLine(e) + "\n");
        await named.close();
        return setExit(1);
      }
      if (o.exit) {
        await named.close();
        io.out("demo done\n");
        return setExit(0);
      }
      const stopped = stopSignal();
      io.out(
        `demo done; named keeps serving. Try:\n  SIGMA_NAMED=${named.addr} npm run -s sigma -- tree name/\n(Ctrl-C to stop)\n`,
      );
      await stopped;
      await named.close();
      setExit(0);
    });
}
