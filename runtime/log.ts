/**
 * Debug logging by layer, as SigmaOS's debug selectors: `DEBUG=sigma:sessclnt,sigma:sesssrv`.
 * Off unless selected, and then cheap: `debug` checks the selector once per logger.
 */
import createDebug from "debug";

export type Layer =
  | "wire"
  | "netclnt"
  | "netsrv"
  | "sessclnt"
  | "sesssrv"
  | "protsrv"
  | "fslib"
  | "rpc"
  | "procd"
  | "console"
  | "faultproxy"
  | "9p";

/**
 * A layer's logger: printf-style (`log("%s closed", addr)`), a no-op unless selected. Declared
 * here rather than taken from `debug`'s types so that the published declarations need no
 * `@types/debug`.
 */
export interface Logger {
  (format: string, ...args: unknown[]): void;
  readonly enabled: boolean;
}

export function logger(layer: Layer): Logger {
  return createDebug(`sigma:${layer}`);
}
