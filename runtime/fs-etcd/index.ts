export { EtcdFs, type EtcdFsOptions } from "./etcd-fs.js";
export { EtcdDir, etcdDirOf, type EtcdObj } from "./etcd-dir.js";
export { EtcdFile, EtcdSymlink, MAX_ETCD_FILE } from "./etcd-bytes.js";
export { etcdClient, parseEndpoints } from "./etcd-client.js";
export { keysFor, type Keys } from "./keys.js";
export { campaign, type ElectionOptions, type Leadership } from "./election.js";
export { type EtcdConnection } from "./etcd-client.js";
export {
  checkEtcdAccess,
  etcdRefusal,
  namedRole,
  realmPrefix,
  setupNamedUser,
  type NamedUserResult,
  type NamedUserSetup,
} from "./etcd-user.js";
