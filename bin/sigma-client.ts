/**
 * The entry the file commands (`sigma ls`, `cat`, …) run from. Here it is run-sigma.ts itself;
 * `npm run build` replaces its compiled copy with one bundled file (scripts/bundle-cli.ts), so
 * that a call reads and links one module instead of some 130 (module loading was most of
 * `sigma ls`'s start-up). Other commands never load it: they keep the compiled modules, whose
 * paths (templates, procd's module mirror, the console's assets) are relative to their files.
 */
export { runSigma } from "./run-sigma.js";
