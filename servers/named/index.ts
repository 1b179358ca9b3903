export { startNamed, type Named, type NamedOptions } from "./named.js";
export { bootDirs } from "./layout.js";
