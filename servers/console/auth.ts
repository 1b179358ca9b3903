/**
 * The authentication seam. Today every caller is the console's own principal, acting through the
 * console's FsLib. When sigmats tokens exist, a token `ConsoleAuth` answers `principal()` from
 * the request's token (posted once to `loginPath`, then carried as a cookie), gives each principal
 * an FsLib attached with its credentials (Tattach carries them, spec deviation 13) so that named
 * shows it only what it may see, and sets `canWrite` from its rights.
 */
import type { IncomingMessage } from "node:http";
import type { FsLib } from "../../runtime/client/index.js";
import type { AuthInfo } from "./api-types.js";

/** Who makes a request, and the client that acts for them. */
export interface Principal {
  name: string;
  /** Whether this principal may change the namespace (the console's --read-only overrides it). */
  canWrite: boolean;
  /** Every namespace call of this principal's requests goes through it. */
  fsl: FsLib;
}

/** How the console learns who a request is from. */
export interface ConsoleAuth {
  readonly mode: AuthInfo["mode"];
  /** Where a login is posted; null when there is nothing to log in to. */
  readonly loginPath: string | null;
  /** The request's principal; null answers 401 (not logged in). */
  principal(req: IncomingMessage): Promise<Principal | null>;
}

/** No authentication: everyone is `uname`, acting through `fsl`. */
export function openAuth(fsl: FsLib, uname: string): ConsoleAuth {
  const everyone: Principal = { name: uname, canWrite: true, fsl };
  return {
    mode: "none",
    loginPath: null,
    principal: async () => everyone,
  };
}
