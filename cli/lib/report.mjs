import { relative } from "node:path";

/** Collects what a command did, so it can say so at the end in one list. */
export class Changes {
  #root;
  #lines = [];

  constructor(root) {
    this.#root = root;
  }

  created(path) {
    this.#lines.push(`  created  ${this.#rel(path)}`);
  }

  updated(path, what) {
    this.#lines.push(`  updated  ${this.#rel(path)}${what ? `  (${what})` : ""}`);
  }

  unchanged(path, why) {
    this.#lines.push(`  kept     ${this.#rel(path)}  (${why})`);
  }

  ran(command) {
    this.#lines.push(`  ran      ${command}`);
  }

  print(out = process.stdout) {
    for (const line of this.#lines) out.write(line + "\n");
  }

  #rel(path) {
    return relative(this.#root, path) || ".";
  }
}
