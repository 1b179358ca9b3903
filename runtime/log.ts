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
  | "9p"
  | "fsetcd"
  | "named";

export function logger(layer: Layer): createDebug.Debugger {
  return createDebug(`sigma:${layer}`);
}
