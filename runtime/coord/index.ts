/**
 * Coordination libraries (spec 7): thin file protocols over FsLib for semaphores, epochs, leader
 * election and fencing. See docs/coordination.md.
 */
export { SemClnt } from "./sem-clnt.js";
export { EpochClnt, formatEpoch, parseEpoch } from "./epoch-clnt.js";
export { ElectClnt } from "./elect-clnt.js";
export { FenceClnt } from "./fence-clnt.js";
export { LeaderClnt } from "./leader-clnt.js";
