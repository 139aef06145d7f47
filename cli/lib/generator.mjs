import { join } from "node:path";
import { appRoot } from "./app.mjs";
import { args } from "./args.mjs";
import { Plan } from "./files.mjs";
import { names } from "./names.mjs";
import { Changes } from "./report.mjs";

/**
 * The shape every make:* command shares: parse `<Name>` and flags, plan all file writes and
 * edits in memory (refusing before anything is written), apply, then run follow-up scripts.
 */
export function generator({ what, usage, options = {}, plan, after }) {
  return async function runGenerator(argv) {
    const { values, positionals } = args(argv, { options: { ...options, cwd: { type: "string" } }, positionals: 1, usage });
    const n = names(positionals[0], `${what} name`);
    const root = appRoot(values.cwd ? join(process.cwd(), values.cwd) : process.cwd());
    const p = new Plan(root);
    plan(p, n, values);
    const changes = new Changes(root);
    p.apply(changes);
    changes.print();
    if (after) {
      const followUps = new Changes(root);
      try {
        await after(root, n, followUps, values);
      } finally {
        followUps.print();
      }
    }
  };
}
