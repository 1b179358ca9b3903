/**
 * Path syntax of the client namespace (spec 6.2): elements separated by `/`, repeated slashes
 * collapse, and a trailing `/` asks to resolve the last element (follow a final symlink or mount).
 */

/** A path as the resolver sees it. */
export interface ParsedPath {
  /** The elements, without empty ones. */
  elems: string[];
  /** The path ended in `/`: a final symlink or mount point is followed, not taken itself. */
  resolveLast: boolean;
}

/** Splits `path` into elements; `""` and `"/"` are the empty path. */
export function splitPath(path: string): string[] {
  // A scan rather than split + filter: every call by path starts here, and this is twice as fast.
  const elems: string[] = [];
  let start = 0;
  for (;;) {
    const slash = path.indexOf("/", start);
    const end = slash < 0 ? path.length : slash;
    if (end > start) elems.push(path.slice(start, end));
    if (slash < 0) return elems;
    start = slash + 1;
  }
}

/** Splits `path` and notes whether it asks to resolve its last element. */
export function parsePath(path: string): ParsedPath {
  const elems = splitPath(path);
  return { elems, resolveLast: elems.length > 0 && path.endsWith("/") };
}

/** Joins elements with `/`, without leading or trailing slashes. */
export function joinPath(elems: readonly string[]): string {
  return elems.join("/");
}

/** A union element picks one entry of a directory of mount records: `~any`, `~local`, `~x`. */
export function isUnionElem(elem: string): boolean {
  return elem.startsWith("~");
}

/** Whether `prefix` is an element-wise prefix of `path` (equal paths included). */
export function isPathPrefix(prefix: readonly string[], path: readonly string[]): boolean {
  if (prefix.length > path.length) return false;
  return prefix.every((e, i) => e === path[i]);
}

/**
 * The parent's elements and the last element. The empty path has no last element; callers that
 * create or remove must reject it first.
 */
export function splitLast(elems: readonly string[]): { dir: string[]; base: string } {
  return { dir: elems.slice(0, -1), base: elems[elems.length - 1] ?? "" };
}
