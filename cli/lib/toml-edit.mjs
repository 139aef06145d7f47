import { parse, patch, stringify } from "@decimalturn/toml-patch";
import { CliError } from "./errors.mjs";

/**
 * wrangler.toml edits, done structurally: parse, change the value, and let toml-patch
 * write back only the difference (comments, blank lines and key order stay as they were).
 */

function parsed(text) {
  try {
    return parse(text);
  } catch (err) {
    throw new CliError(`wrangler.toml does not parse: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** The next migration tag: one past the highest `v<N>` in use (tags of any other shape are skipped). */
export function nextMigrationTag(migrations) {
  let max = 0;
  for (const m of migrations) {
    const n = /^v(\d+)$/.exec(String(m?.tag ?? ""))?.[1];
    if (n !== undefined) max = Math.max(max, Number(n));
  }
  return `v${max + 1}`;
}

/**
 * Binds a SQLite-backed Durable Object class: a `[[durable_objects.bindings]]` entry and a new
 * `[[migrations]]` tag with `new_sqlite_classes`. Already bound the same way → unchanged;
 * the binding or class used differently → refused.
 */
export function addDurableObject(text, { binding, className }) {
  const doc = parsed(text);
  const bindings = doc.durable_objects?.bindings ?? [];
  const migrations = doc.migrations ?? [];
  const same = bindings.find((b) => b.name === binding);
  if (same && same.class_name !== className) throw new CliError(`wrangler.toml already binds ${binding} to class ${same.class_name}.`);
  const other = bindings.find((b) => b.class_name === className && b.name !== binding);
  if (other) throw new CliError(`wrangler.toml already binds class ${className} as ${other.name}.`);
  const migrated = migrations.some((m) => (m.new_sqlite_classes ?? []).includes(className) || (m.new_classes ?? []).includes(className));
  const envsMissing = Object.values(doc.env ?? {}).some((e) => Array.isArray(e?.durable_objects?.bindings) && !e.durable_objects.bindings.some((b) => b.name === binding));
  if (same && migrated && !envsMissing) return { text, note: `${binding} already bound` };

  const notes = [];
  const tail = [];
  const next = structuredClone(doc);
  if (!same) {
    const entry = { name: binding, class_name: className };
    // toml-patch extends an existing array of tables in place; a first one is appended at the end.
    if (doc.durable_objects?.bindings) next.durable_objects.bindings = [...bindings, entry];
    else tail.push(`[[durable_objects.bindings]]\n${stringify(entry)}`);
    notes.push(`binding ${binding} → ${className}`);
  }
  if (!migrated) {
    const tag = nextMigrationTag(migrations);
    const entry = { tag, new_sqlite_classes: [className] };
    if (doc.migrations) next.migrations = [...migrations, entry];
    else tail.push(`[[migrations]]\n${stringify(entry)}`);
    notes.push(`migration ${tag}`);
  }
  // Wrangler does not inherit bindings into [env.*]: each environment that lists Durable Object
  // bindings gets the new one too ([[migrations]] are inherited, so they stay top-level only).
  for (const [envName, env] of Object.entries(doc.env ?? {})) {
    const list = env?.durable_objects?.bindings;
    if (!Array.isArray(list) || list.some((b) => b.name === binding)) continue;
    next.env[envName].durable_objects.bindings = [...list, { name: binding, class_name: className }];
    notes.push(`env.${envName} binding`);
  }
  let out = patch(text, next);
  if (tail.length > 0) out = [out.replace(/\n*$/, ""), ...tail.map((t) => t.replace(/\n*$/, ""))].join("\n\n") + "\n";
  check(out, binding, className);
  return { text: out, note: notes.join(", ") };
}

/** The edit must read back as meant; anything else is a bug here, never a file to write. */
function check(out, binding, className) {
  const doc = parsed(out);
  const bound = (list) => (list ?? []).some((b) => b.name === binding && b.class_name === className);
  const ok = bound(doc.durable_objects?.bindings) &&
    (doc.migrations ?? []).some((m) => (m.new_sqlite_classes ?? []).includes(className)) &&
    Object.values(doc.env ?? {}).every((e) => !Array.isArray(e?.durable_objects?.bindings) || bound(e.durable_objects.bindings));
  if (!ok) throw new CliError(`Could not add ${binding} to wrangler.toml structurally; add it by hand (see the README).`);
}
