/** The web console (docs/console.md). */
export { startConsole, type ConsoleServer } from "./console-server.js";
export { CONSOLE_DEFAULTS, type ConsoleOptions } from "./console-options.js";
export { openAuth, type ConsoleAuth, type Principal } from "./auth.js";
export { bearerAuth, type BearerAuth, type BearerAuthOptions } from "./bearer-auth.js";
export { memfsStoreInfo, type StoreInfoSource } from "./store-info.js";
export type * from "./api-types.js";
