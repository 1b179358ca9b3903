/**
 * The text of anything thrown. Handlers may throw non-Error values, and a hostile or broken
 * `toString` must not turn error reporting itself into a crash.
 */
export function errorText(e: unknown): string {
  try {
    if (e instanceof Error) return e.message;
    return String(e);
  } catch {
    return "unprintable error";
  }
}
