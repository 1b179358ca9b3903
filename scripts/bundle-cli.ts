/**
 * Bundles bin/sigma-client.ts (the file commands' entry) into one ES module, so that `sigma ls`
 * links one file instead of some 130: Node's loader pays per module (resolve, read, compile),
 * and that was most of the command's start-up. Run by `npm run build` after tsc, it overwrites
 * tsc's dist/bin/sigma-client.js (a re-export) with the bundle; `tsx scripts/bundle-cli.ts OUT`
 * writes it elsewhere (tests/cli/bundle.test.ts).
 *
 * Left out of the bundle:
 * - the other command groups, which run-sigma.ts imports lazily: they stay the compiled modules
 *   beside this file (the routing in bin/sigma.ts never loads them from the bundle's run);
 * - the code generator's packages and etcd's client, which no file command needs;
 * - msgpackr's native string decoder: the bundle takes msgpackr's plain build, which decodes the
 *   same bytes the same way (loading the native addon cost more than a command's decoding).
 */
import { build, type Plugin } from "esbuild";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const OUT = process.argv[2] ?? `${ROOT}dist/bin/sigma-client.js`;

const NOT_BUNDLED = ["ts-morph", "prettier", "handlebars", "ohm-js", "@babel/code-frame", "etcd3"];

// run-sigma.ts's `import("./commands/x.js")` of every group but the file commands' stays an
// import of the compiled module; its specifier is relative to dist/bin/, where the bundle lies.
const lazyGroupsExternal: Plugin = {
  name: "lazy-groups-external",
  setup(b) {
    b.onResolve({ filter: /^\.\.?\// }, (args) => {
      if (args.kind !== "dynamic-import" || !/[/\\]run-sigma\.[jt]s$/.test(args.importer)) {
        return undefined;
      }
      return args.path.endsWith("/fs-commands.js")
        ? undefined
        : { path: args.path, external: true };
    });
    // msgpackr's Node entry is its plain index.js plus the native extractor and streams.
    b.onResolve({ filter: /^msgpackr$/ }, () => ({
      path: fileURLToPath(new URL("index.js", import.meta.resolve("msgpackr"))),
    }));
  },
};

await build({
  entryPoints: [`${ROOT}bin/sigma-client.ts`],
  outfile: OUT,
  allowOverwrite: true,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  sourcemap: true,
  external: NOT_BUNDLED,
  plugins: [lazyGroupsExternal],
  // CommonJS dependencies (commander, debug) call require(); an ES module has none of its own.
  banner: {
    js: 'import { createRequire as __sigmaRequire } from "node:module"; const require = __sigmaRequire(import.meta.url);',
  },
  logLevel: "warning",
});
