import { createRequire } from "node:module";
import { join } from "node:path";
import { CliError } from "./errors.mjs";

/**
 * Edits of TypeScript files the user owns, located with the TypeScript compiler's parser and
 * applied as text splices at those positions: everything not inserted (formatting, comments,
 * blank lines) stays byte for byte. `typescript` comes from the app's own devDependencies.
 */

let cached;

/** The app's TypeScript (a devDependency of every Stratus app), else this package's. */
export function loadTypeScript(root = process.cwd()) {
  if (cached) return cached;
  for (const base of [join(root, "package.json"), import.meta.url]) {
    try {
      cached = createRequire(base)("typescript");
      return cached;
    } catch {
      // try the next place
    }
  }
  throw new CliError('The "typescript" package is not installed here: run `npm install` first.');
}

function sourceFile(ts, text, file) {
  return ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
}

function splice(text, at, insert) {
  return text.slice(0, at) + insert + text.slice(at);
}

function unwrap(ts, node) {
  while (node && (ts.isAsExpression(node) || ts.isSatisfiesExpression(node) || ts.isParenthesizedExpression(node) || ts.isTypeAssertionExpression?.(node))) node = node.expression;
  return node;
}

function find(ts, root, test) {
  let found;
  const visit = (node) => {
    if (found) return;
    if (test(node)) found = node;
    else ts.forEachChild(node, visit);
  };
  visit(root);
  return found;
}

function propName(ts, name, sf) {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name)) return name.text;
  return name.getText(sf);
}

function lineEnd(text, pos) {
  const nl = text.indexOf("\n", pos);
  return nl === -1 ? text.length : nl;
}

function indentOf(text, pos) {
  const start = text.lastIndexOf("\n", pos - 1) + 1;
  return /^[ \t]*/.exec(text.slice(start))[0];
}

/**
 * Appends `item` to a list (object literal properties, array elements, call arguments) in the
 * list's own style: one per line when it is multi-line (trailing comma kept as it was, a comment
 * after the last item stays on its line), `a, b` when it is on one line.
 */
function appendToList(ts, text, sf, list, open, close, item, emptyInline) {
  const elements = list;
  if (elements.length === 0) {
    const between = text.slice(open, close);
    const base = indentOf(text, open);
    const inner = between.includes("\n") ? `\n${base}  ${item},\n${base}` : emptyInline(item);
    return text.slice(0, open) + inner + text.slice(close);
  }
  const last = elements[elements.length - 1];
  const lastEnd = last.getEnd();
  const trailingComma = elements.hasTrailingComma === true;
  const multiline = text.slice(elements[0].getStart(sf), lastEnd).includes("\n") || text.slice(open, elements[0].getStart(sf)).includes("\n");
  if (!multiline) return splice(text, lastEnd, `, ${item}`);
  const indent = indentOf(text, last.getStart(sf));
  const afterLast = trailingComma ? text.indexOf(",", lastEnd) + 1 : lastEnd;
  const eol = Math.min(lineEnd(text, afterLast), close);
  const insertion = `\n${indent}${item}${trailingComma ? "," : ""}`;
  const withComma = trailingComma ? text : splice(text, lastEnd, ",");
  return splice(withComma, eol + (trailingComma ? 0 : 1), insertion);
}

/**
 * Adds `key: value` to the object literal assigned to property `property` (for example the
 * `registry` in config/components.ts). Present with the same value → unchanged; with another
 * value → refused.
 */
export function addObjectProperty(text, { property, key, value, file = "file.ts", ts = loadTypeScript() }) {
  const sf = sourceFile(ts, text, file);
  const prop = find(ts, sf, (n) => ts.isPropertyAssignment(n) && propName(ts, n.name, sf) === property && ts.isObjectLiteralExpression(unwrap(ts, n.initializer)));
  if (!prop) throw new CliError(`${file}: found no \`${property}: { ... }\` object literal to add "${key}" to.`);
  const obj = unwrap(ts, prop.initializer);
  const existing = obj.properties.find((p) => p.name && propName(ts, p.name, sf) === key);
  const keyText = /^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key);
  if (existing) {
    const current = ts.isPropertyAssignment(existing) ? existing.initializer.getText(sf) : "";
    if (current === value) return { text, note: `${property}.${key} already set` };
    throw new CliError(`${file}: ${property} already has "${key}" (${current}); not changing it to ${value}.`);
  }
  const out = appendToList(ts, text, sf, obj.properties, obj.getStart(sf) + 1, obj.getEnd() - 1, `${keyText}: ${value}`, (item) => ` ${item} `);
  return { text: out, note: `${property}: ${keyText}` };
}

/**
 * Appends `element` to the array literal assigned to property `property` (e.g. `modules: [...]`).
 * With `spread`, a property holding any other expression (`middleware: defaultMiddleware()`)
 * becomes `[...defaultMiddleware(), element]`.
 */
export function addArrayElement(text, { property, element, spread = false, file = "file.ts", ts = loadTypeScript() }) {
  const sf = sourceFile(ts, text, file);
  const isProp = (n) => ts.isPropertyAssignment(n) && propName(ts, n.name, sf) === property;
  const prop = find(ts, sf, (n) => isProp(n) && ts.isArrayLiteralExpression(unwrap(ts, n.initializer)));
  if (!prop) {
    const other = spread ? find(ts, sf, isProp) : undefined;
    if (!other) throw new CliError(`${file}: found no \`${property}: [ ... ]\` array to add ${element} to.`);
    const init = other.initializer;
    if (init.getText(sf).includes(element)) return { text, note: `${property} already has ${element}` };
    const out = text.slice(0, init.getStart(sf)) + `[...${init.getText(sf)}, ${element}]` + text.slice(init.getEnd());
    return { text: out, note: `${property}: + ${element}` };
  }
  const arr = unwrap(ts, prop.initializer);
  if (arr.elements.some((e) => e.getText(sf) === element)) return { text, note: `${property} already lists ${element}` };
  const out = appendToList(ts, text, sf, arr.elements, arr.getStart(sf) + 1, arr.getEnd() - 1, element, (item) => item);
  return { text: out, note: `${property}: + ${element}` };
}

/** Appends `argument` to the first call of function `callee` (e.g. `jobs(a, b)`). */
export function addCallArgument(text, { callee, argument, file = "file.ts", ts = loadTypeScript() }) {
  const sf = sourceFile(ts, text, file);
  const call = find(ts, sf, (n) => ts.isCallExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === callee);
  if (!call) throw new CliError(`${file}: found no call of ${callee}(...) to add ${argument} to.`);
  if (call.arguments.some((a) => a.getText(sf) === argument)) return { text, note: `${callee}() already has ${argument}` };
  const open = text.indexOf("(", call.expression.getEnd()) + 1;
  const out = appendToList(ts, text, sf, call.arguments, open, call.getEnd() - 1, argument, (item) => item);
  return { text: out, note: `${callee}(..., ${argument})` };
}

function statementsAfterImports(ts, sf) {
  const imports = sf.statements.filter((s) => ts.isImportDeclaration(s));
  return imports.length ? imports[imports.length - 1].getEnd() : 0;
}

function namedFrom(ts, sf, kind, from) {
  return sf.statements.filter((s) => kind(s) && s.moduleSpecifier && ts.isStringLiteral(s.moduleSpecifier) && s.moduleSpecifier.text === from);
}

function hasName(ts, bindings, name) {
  return !!bindings && ts.isNamedImports(bindings) && bindings.elements.some((e) => e.name.text === name);
}

/** `import { name } from "from";` after the last import; unchanged if that import is there. */
export function addImport(text, { name, from, typeOnly = false, file = "file.ts", ts = loadTypeScript() }) {
  const sf = sourceFile(ts, text, file);
  const has = namedFrom(ts, sf, ts.isImportDeclaration, from).some((d) => hasName(ts, d.importClause?.namedBindings, name));
  if (has) return { text, note: `already imports ${name}` };
  const line = `import ${typeOnly ? "type " : ""}{ ${name} } from "${from}";`;
  const at = statementsAfterImports(ts, sf);
  const out = at === 0 ? `${line}\n${text}` : splice(text, at, `\n${line}`);
  return { text: out, note: `import ${name}` };
}

/** `export { name } from "from";` after the last export-from (else at the end); unchanged if already exported. */
export function addExportFrom(text, { name, from, file = "file.ts", ts = loadTypeScript() }) {
  const sf = sourceFile(ts, text, file);
  const exportsFrom = sf.statements.filter((s) => ts.isExportDeclaration(s) && s.moduleSpecifier);
  const already = exportsFrom.some((d) => d.exportClause && ts.isNamedExports(d.exportClause) && d.exportClause.elements.some((e) => e.name.text === name));
  if (already) return { text, note: `already exports ${name}` };
  const line = `export { ${name} } from "${from}";`;
  if (exportsFrom.length === 0) return { text: `${text.replace(/\n*$/, "")}\n\n${line}\n`, note: `export ${name}` };
  const last = exportsFrom[exportsFrom.length - 1];
  return { text: splice(text, last.getEnd(), `\n${line}`), note: `export ${name}` };
}

/** `export * from "from";` (a barrel file such as app/db/schema.ts); unchanged if present. */
export function addExportStar(text, { from, file = "file.ts", ts = loadTypeScript() }) {
  const sf = sourceFile(ts, text, file);
  const stars = sf.statements.filter((s) => ts.isExportDeclaration(s) && s.moduleSpecifier && !s.exportClause);
  if (stars.some((s) => s.moduleSpecifier.text === from)) return { text, note: `already re-exports ${from}` };
  const line = `export * from "${from}";`;
  if (stars.length === 0) return { text: `${text.replace(/\n*$/, "")}${text.trim() ? "\n" : ""}${line}\n`, note: `export * from ${from}` };
  return { text: splice(text, stars[stars.length - 1].getEnd(), `\n${line}`), note: `export * from ${from}` };
}
