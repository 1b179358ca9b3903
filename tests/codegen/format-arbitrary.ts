/**
 * Small random schemas for the formatter's property tests: valid token sequences with random
 * whitespace and comments between tokens, and doc comments where the grammar allows them.
 */
import fc from "fast-check";

const ident = fc.constantFrom("a", "B", "x_1", "Tfoo", "u32", "u64", "string");
const int = fc.constantFrom("0", "1", "42", "0x80", "0xFF_FF", "1_000", "-5");
const str = fc.constantFrom('""', '"s"', '"a \\" // b"', '"/* c */"');

/** What may separate two tokens; line comments always end their line. */
const gap = fc.constantFrom(
  " ",
  " ",
  "\n",
  "\n\n\n",
  "\t",
  " /* c */ ",
  "/*\n  m\n*/",
  " // t\n",
  "\n// own\n",
  "\n  //// four\n",
);

const docs = fc.array(fc.constantFrom("/// d\n", "///x\n", "///\n", "/// two  spaces \n"), {
  maxLength: 2,
});

type Tokens = string[];

const typeTok: fc.Arbitrary<Tokens> = fc.letrec<{ t: Tokens }>((tie) => ({
  t: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    ident.map((n) => [n]),
    tie("t").map((t) => [...t, "[", "]"]),
    tie("t").map((t) => [...t, "?"]),
    fc.tuple(ident, tie("t")).map(([k, v]) => ["map", "<", k, ",", ...v, ">"]),
  ),
})).t;

const withDocs = (a: fc.Arbitrary<Tokens>) => fc.tuple(docs, a).map(([d, t]) => [...d, ...t]);

const field = withDocs(
  fc.tuple(ident, typeTok, int).map(([n, t, i]) => [n, ":", ...t, "=", i, ";"]),
);
const reservedItem = fc.oneof(
  int.map((i) => [i]),
  fc.tuple(int, int).map(([a, b]) => [a, "to", b]),
  str.map((s) => [s]),
);
const reserved = withDocs(
  fc
    .array(reservedItem, { minLength: 1, maxLength: 3 })
    .map((items) => ["reserved", ...items.flatMap((it, i) => (i ? [",", ...it] : it)), ";"]),
);
const bodyOf = (item: fc.Arbitrary<Tokens>) =>
  fc
    .tuple(fc.array(item, { maxLength: 3 }), docs)
    .map(([items, d]) => ["{", ...items.flat(), ...d, "}"]);

const annotation = fc
  .tuple(ident, fc.option(fc.array(ident, { maxLength: 2 })))
  .map(([n, args]) =>
    args ? ["@", n, "(", ...args.flatMap((a, i) => (i ? [",", a] : [a])), ")"] : ["@", n],
  );

const item = withDocs(
  fc.oneof(
    fc.tuple(ident, int).map(([n, v]) => ["protocol", n, "version", v, ";"]),
    str.map((s) => ["import", s, ";"]),
    fc.tuple(ident, typeTok).map(([n, t]) => ["alias", n, "=", ...t, ";"]),
    fc
      .tuple(ident, typeTok, fc.oneof(int, str, fc.constantFrom("true", "false")))
      .map(([n, t, v]) => ["const", n, ":", ...t, "=", v, ";"]),
    fc
      .tuple(
        fc.constantFrom("flags", "enum"),
        ident,
        ident,
        bodyOf(withDocs(fc.tuple(ident, int).map(([n, v]) => [n, "=", v, ";"]))),
      )
      .map(([k, n, b, body]) => [k, n, ":", b, ...body]),
    fc.tuple(ident, bodyOf(fc.oneof(field, reserved))).map(([n, b]) => ["struct", n, ...b]),
    bodyOf(
      withDocs(fc.tuple(ident, int, ident, str).map(([n, c, r, d]) => [n, "=", c, r, d, ";"])),
    ).map((b) => ["errors", ...b]),
    fc
      .tuple(
        fc.array(annotation, { maxLength: 2 }),
        fc.constantFrom("request", "reply"),
        ident,
        int,
        fc.option(ident),
        bodyOf(fc.oneof(field, reserved)),
      )
      .map(([anns, k, n, num, reply, b]) => [
        ...anns.flat(),
        k,
        n,
        "=",
        num,
        ...(reply ? ["->", reply] : []),
        ...b,
      ]),
    fc
      .tuple(
        ident,
        bodyOf(
          withDocs(
            fc.tuple(ident, ident, ident).map(([n, q, r]) => ["rpc", n, "(", q, ")", "->", r, ";"]),
          ),
        ),
      )
      .map(([n, b]) => ["service", n, ...b]),
    reserved,
  ),
);

/** A schema text that parses, with comments and odd spacing anywhere between tokens. */
export const messySchema: fc.Arbitrary<string> = fc
  .tuple(fc.array(item, { maxLength: 4 }), docs)
  .chain(([items, d]) => {
    const tokens = [...items.flat(), ...d];
    return fc
      .array(gap, { minLength: tokens.length + 1, maxLength: tokens.length + 1 })
      .map((gaps) => tokens.map((t, i) => gaps[i] + t).join("") + gaps[tokens.length]);
  });
