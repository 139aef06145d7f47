// Before `wrangler dev` starts: every Durable Object class bound in wrangler.toml (the local ones,
// with no script_name) must be exported by the Worker entry. Otherwise workerd dies with
// "Class extends value undefined" and a warning listing every class; this names the missing one.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { build } from "esbuild";
import ts from "typescript";

/** `[{ binding, className }]` for the Durable Objects this Worker defines itself. */
export function localDurableObjects(config) {
  return (config.durable_objects?.bindings ?? [])
    .filter((b) => !b.script_name)
    .map((b) => ({ binding: b.name, className: b.class_name }));
}

export function missingExports(bindings, exportNames) {
  const have = new Set(exportNames);
  return bindings.filter((b) => !have.has(b.className));
}

/**
 * One paragraph per missing class with the line that fixes it. `definedIn` maps a class name to
 * the module that declares it, when one was found.
 */
export function describeMissing(missing, main, definedIn = new Map()) {
  return missing
    .map(({ binding, className }) => {
      const from = definedIn.get(className);
      const specifier = from ? importSpecifier(main, from) : "<the module that defines it>";
      return `Durable Object class ${className} (binding ${binding} in wrangler.toml) is not exported by ${main}.\n` +
        `Add this line to ${main}:\n\n  export { ${className} } from "${specifier}";\n`;
    })
    .join("\n");
}

function importSpecifier(main, file) {
  const rel = relative(dirname(main), file).replaceAll("\\", "/").replace(/\.(ts|mts|js|mjs)$/, "");
  return rel.startsWith(".") ? rel : `./${rel}`;
}

/** The entry's export names as the bundler sees them (re-exports and `export *` resolved). */
export async function entryExports(main) {
  const result = await build({
    entryPoints: [main],
    bundle: true,
    write: false,
    metafile: true,
    format: "esm",
    platform: "neutral",
    // As wrangler resolves packages: a dependency without an "exports" map (arctic) is found by these fields.
    conditions: ["workerd", "worker", "browser"],
    mainFields: ["module", "main"],
    outdir: "out",
    logLevel: "silent",
    external: ["cloudflare:*", "node:*"],
    loader: { ".html": "text", ".txt": "text", ".sql": "text", ".wasm": "binary" },
  });
  const output = Object.values(result.metafile.outputs).find((o) => o.entryPoint !== undefined);
  return output?.exports ?? [];
}

/** Where each of `classNames` is declared as an exported class, searching TypeScript sources under `dirs`. */
export function findClassModules(classNames, dirs) {
  const wanted = new Set(classNames);
  const found = new Map();
  const visit = (dir) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== "node_modules" && !entry.name.startsWith(".")) visit(path);
      } else if (/\.(ts|mts)$/.test(entry.name) && !entry.name.endsWith(".d.ts") && !entry.name.includes(".test.")) {
        const source = ts.createSourceFile(path, readFileSync(path, "utf8"), ts.ScriptTarget.Latest, false);
        for (const statement of source.statements) {
          const exported = ts.canHaveModifiers(statement) && ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
          if (ts.isClassDeclaration(statement) && exported && statement.name && wanted.has(statement.name.text) && !found.has(statement.name.text)) {
            found.set(statement.name.text, path);
          }
        }
      }
    }
  };
  for (const dir of dirs) visit(dir);
  return found;
}

/** The whole check: null when every bound class is exported, else the message to print. */
export async function checkDurableObjectExports(config, main, searchDirs) {
  const bindings = localDurableObjects(config);
  if (bindings.length === 0) return null;
  const missing = missingExports(bindings, await entryExports(main));
  if (missing.length === 0) return null;
  return describeMissing(missing, main, findClassModules(missing.map((m) => m.className), searchDirs));
}
