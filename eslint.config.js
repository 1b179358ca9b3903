import { readdirSync } from "node:fs";
import { URL } from "node:url";
import js from "@eslint/js";
import { createNodeResolver, importX } from "eslint-plugin-import-x";
import tseslint from "typescript-eslint";
import layering from "./layering.json" with { type: "json" };
import { noImportCycle } from "./lint/no-import-cycle.js";

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", "coverage/", "tests/fixtures/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
      ],
    },
  },
  {
    // Generated code may use patterns hand-written code avoids; it is checked by tsc instead.
    files: ["generated/**"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  ...layeringConfigs(layering),
);

/**
 * The layering of layering.json as lint rules: for each room, a no-restricted-paths zone that
 * forbids importing any repository path but its own and its arrows' rooms; and no import circle
 * (type-only imports included) in the folders of cycleFree, but the known ones listed there.
 */
function layeringConfigs({ rooms, arrows, cycleFree, knownCycles }) {
  // `servers/*`: each subfolder is a room of its own; from other rooms it is one folder.
  const each = (p) =>
    p.endsWith("/*")
      ? readdirSync(new URL(p.slice(0, -1), import.meta.url), { withFileTypes: true })
          .filter((e) => e.isDirectory())
          .map((e) => `${p.slice(0, -1)}${e.name}`)
      : [p];
  const whole = (p) => (p.endsWith("/*") ? p.slice(0, -2) : p);
  const zones = Object.entries(rooms).flatMap(([room, paths]) =>
    paths.flatMap(each).map((own) => {
      const names = [room, ...arrows[room]];
      const allowed = [own, ...arrows[room].flatMap((r) => rooms[r].map(whole))];
      return {
        target: `./${own}`,
        from: "./",
        except: ["./node_modules", ...allowed.map((p) => `./${p}`)],
        message: `the ${room} room (${own}) may import only ${names.join(", ")} (layering.json)`,
      };
    }),
  );
  const sources = (paths) => paths.map(whole).map((p) => (p.endsWith(".ts") ? p : `${p}/**/*.ts`));
  return [
    {
      files: ["**/*.ts"],
      plugins: { "import-x": importX },
      settings: {
        // Sources import each other with the `.js` suffix that the compiled output will have.
        "import-x/resolver-next": [
          createNodeResolver({
            extensions: [".ts", ".js"],
            extensionAlias: { ".js": [".ts", ".js"] },
          }),
        ],
      },
    },
    {
      files: sources(Object.values(rooms).flat()),
      rules: { "import-x/no-restricted-paths": ["error", { zones }] },
    },
    {
      files: sources(cycleFree),
      plugins: { layering: { rules: { "no-import-cycle": noImportCycle } } },
      rules: {
        "layering/no-import-cycle": [
          "error",
          { roots: cycleFree.map(whole), known: knownCycles.map((c) => c.files) },
        ],
      },
    },
  ];
}
