/**
 * coord suite: the coordination libraries on named (in a child process, with a known session
 * timeout): semaphore wake-up latency and leadership hand-over after a clean close and after a
 * partition. Every client runs in the runner.
 */
import { startChild } from "../lib/child.js";
import type { Suite } from "../lib/suite.js";
import { type ClientSettings, connectClient } from "./coord/clients.js";
import { handoverCases } from "./coord/handover.js";
import { semWakeupCase } from "./coord/sem-wakeup.js";

/** named's session timeout: short, so partition hand-overs are quick to measure. */
const SESSION_TIMEOUT_MS = 300;

export const suite: Suite = {
  name: "coord",
  description: "semaphore wake-up and leadership hand-over (clean close, partition) on named",
  run: async (ctx) => {
    const named = await startChild({
      module: new URL("./coord/named-server.ts", import.meta.url),
      args: [String(SESSION_TIMEOUT_MS)],
    });
    ctx.defer(() => named.stop());
    const settings: ClientSettings = {
      namedAddr: `127.0.0.1:${named.port}`,
      sessionTimeoutMs: SESSION_TIMEOUT_MS,
    };
    const [a, b] = await Promise.all([connectClient(settings), connectClient(settings)]);
    ctx.defer(() => Promise.all([a.close(), b.close()]));

    await semWakeupCase(ctx, a, b);
    await handoverCases(ctx, settings, b);
  },
};
