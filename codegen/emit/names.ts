/**
 * Naming rules shared by the emitters, in one place so that a client method, its handler and
 * the scaffolder always agree.
 */

/** `TreadV` -> `readV`, `Twalk` -> `walk`: the request name without its `T`, lower-cased first letter. */
export function methodName(requestName: string): string {
  const bare = requestName.startsWith("T") ? requestName.slice(1) : requestName;
  return bare.charAt(0).toLowerCase() + bare.slice(1);
}

/** `sigmap` -> `Sigmap`, `my-proto` -> `MyProto`. */
export function pascalCase(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part !== "")
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join("");
}

/** `services/echo` -> `servicesEcho`. */
export function camelCase(name: string): string {
  const pascal = pascalCase(name);
  return pascal.charAt(0).toLowerCase() + pascal.slice(1);
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A property key as written in an object literal: bare when it can be, quoted otherwise. */
export function propertyKey(name: string): string {
  return IDENTIFIER.test(name) ? name : JSON.stringify(name);
}

/** Property access on `base`, dotted when the name allows it. */
export function member(base: string, name: string): string {
  return IDENTIFIER.test(name) ? `${base}.${name}` : `${base}[${JSON.stringify(name)}]`;
}

/** `Echo` -> `echo`: an rpc's handler and client method; rpc names keep no `T` prefix to drop. */
export function rpcMethodName(rpcName: string): string {
  return rpcName.charAt(0).toLowerCase() + rpcName.slice(1);
}
