/**
 * The stack case's server handlers: clunk succeeds at once and does nothing, so a Tclunk measures
 * the protocol stack alone. Detach succeeds too, so that the client's close ends its session
 * cleanly. Every other request is refused; the benchmark never sends one.
 */
import type { SigmapHandlers } from "../../../generated/sigmap/server.js";
import {
  ErrCode,
  type Rattach,
  type Rauth,
  type Rclunk,
  type Rcreate,
  type Rdetach,
  type Ropen,
  type Rread,
  type Rremove,
  type Rrenameat,
  type Rstat,
  type Rwalk,
  type Rwatch,
  type Rwrite,
  type Rwstat,
} from "../../../generated/sigmap/types.js";
import { SigmaError } from "../../../runtime/errors/index.js";
import type { RequestContext } from "../../../runtime/session/server/server-types.js";

export class NullHandlers implements SigmapHandlers<RequestContext> {
  async clunk(): Promise<Rclunk> {
    return {};
  }

  async detach(): Promise<Rdetach> {
    return {};
  }

  auth(): Promise<Rauth> {
    return refuse("auth");
  }
  attach(): Promise<Rattach> {
    return refuse("attach");
  }
  walk(): Promise<Rwalk> {
    return refuse("walk");
  }
  remove(): Promise<Rremove> {
    return refuse("remove");
  }
  stat(): Promise<Rstat> {
    return refuse("stat");
  }
  open(): Promise<Ropen> {
    return refuse("open");
  }
  create(): Promise<Rcreate> {
    return refuse("create");
  }
  readV(): Promise<Rread> {
    return refuse("readV");
  }
  writeV(): Promise<Rwrite> {
    return refuse("writeV");
  }
  watch(): Promise<Rwatch> {
    return refuse("watch");
  }
  wstat(): Promise<Rwstat> {
    return refuse("wstat");
  }
  renameat(): Promise<Rrenameat> {
    return refuse("renameat");
  }
  removefile(): Promise<Rremove> {
    return refuse("removefile");
  }
  getfile(): Promise<Rread> {
    return refuse("getfile");
  }
  putfile(): Promise<Rwrite> {
    return refuse("putfile");
  }
  writeread(): Promise<Rread> {
    return refuse("writeread");
  }
}

function refuse(method: string): Promise<never> {
  return Promise.reject(new SigmaError(ErrCode.NotSupported, method));
}
