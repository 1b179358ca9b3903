/**
 * The signal that stops a foreground server (SIGINT or SIGTERM). Listen before announcing the
 * server: whoever reads "listening on" may stop it at once, before the next statement runs.
 */
export function stopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (s: NodeJS.Signals): void => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve(s);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}
