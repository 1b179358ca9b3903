/**
 * The defaults that more than one room shares, in one place: each room's DEFAULTS object takes
 * its value from here rather than restating it (ground: any room may import it).
 */

/** The largest frame either side accepts unless configured otherwise (spec 11): 16 MiB. */
export const DEFAULT_MAX_FRAME = 16 * 1024 * 1024;

/**
 * The address a server binds unless told otherwise: loopback, because nothing authenticates a
 * peer that can reach a wider one unless auth is configured (docs/security.md).
 */
export const DEFAULT_HOST = "127.0.0.1";

/**
 * How long a session lives without a message before the server ends it (spec 3), and so how
 * often a client must send one: servers and clients must agree on it.
 */
export const DEFAULT_SESSION_TIMEOUT_MS = 1000;
