/**
 * The default way to open a session: the session layer's SessionClient.
 */
import { SessionClient } from "../../session/client/session-client.js";
import type { OpenSession } from "./session-port.js";

/** Opens a SessionClient (dials, exchanges hellos); Unreachable if no address answers. */
export const openSessionClient: OpenSession = (opts) => SessionClient.open(opts);
