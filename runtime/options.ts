/**
 * Options are one interface with documented defaults, merged in one place. A caller passing
 * `{ port: undefined }` (often by forwarding its own optional settings) means "the default",
 * which a plain spread would get wrong.
 */
export function withDefaults<D extends object, O extends object>(defaults: D, opts: O): D & O {
  const out: Record<string, unknown> = { ...(defaults as Record<string, unknown>) };
  for (const [k, v] of Object.entries(opts)) if (v !== undefined) out[k] = v;
  return out as D & O;
}
