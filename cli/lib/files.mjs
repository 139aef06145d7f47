import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { CliError } from "./errors.mjs";

const TEMPLATES = fileURLToPath(new URL("../templates/", import.meta.url));

/** A template's text with `{{key}}` replaced; an unknown key is a bug in the template, so it throws. */
export function render(template, vars) {
  const text = readFileSync(join(TEMPLATES, template), "utf8");
  return text.replace(/\{\{(\w+)\}\}/g, (_m, key) => {
    if (!(key in vars)) throw new Error(`Template ${template} uses {{${key}}}, which the generator does not set.`);
    return String(vars[key]);
  });
}

/**
 * Everything a generator will write, worked out in memory first: a refusal or a failed
 * edit anywhere leaves every file as it was, and no file is ever overwritten.
 */
export class Plan {
  #root;
  #creates = new Map();
  #edits = new Map();

  constructor(root) {
    this.#root = root;
  }

  get root() {
    return this.#root;
  }

  /** A new file: refused if it exists. */
  create(rel, text) {
    const path = join(this.#root, rel);
    if (existsSync(path) || this.#creates.has(path)) throw new CliError(`Refusing to overwrite ${rel}: it already exists.`);
    this.#creates.set(path, text);
  }

  /** An edit of a file the user owns: `fn(text)` returns `{ text, note }`; edits of one file chain. */
  edit(rel, fn) {
    const path = join(this.#root, rel);
    const pending = this.#edits.get(path);
    if (!pending && !existsSync(path)) throw new CliError(`Expected ${rel} to exist: run this inside a Stratus app (the folder with wrangler.toml).`);
    const before = pending?.text ?? readFileSync(path, "utf8");
    const original = pending?.original ?? before;
    const { text, note } = fn(before);
    const notes = pending?.notes ?? [];
    if (text !== before && note) notes.push(note);
    this.#edits.set(path, { original, text, notes });
  }

  /** Writes it all, reporting each file. */
  apply(changes) {
    for (const [path, text] of this.#creates) {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, text, { flag: "wx" });
      changes.created(path);
    }
    for (const [path, { original, text, notes }] of this.#edits) {
      if (text === original) {
        changes.unchanged(path, "already up to date");
        continue;
      }
      writeFileSync(path, text);
      changes.updated(path, notes.join("; "));
    }
  }
}

export function rel(root, path) {
  return relative(root, path);
}
