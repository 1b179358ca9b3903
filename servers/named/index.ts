export { startNamed, type Named, type NamedOptions } from "./named.js";
export { bootDirs } from "./layout.js";
export { startEtcdNamed, type EtcdNamed, type EtcdNamedOptions } from "./named-etcd.js";
