import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { CliError } from "./errors.mjs";

/** The app's own wrangler (a devDependency), so the CLI runs the exact version the app pins. */
export async function loadWrangler(root) {
  let path;
  try {
    path = createRequire(join(root, "package.json")).resolve("wrangler");
  } catch {
    throw new CliError('The "wrangler" package is not installed in this app: run `npm install` first.');
  }
  return import(pathToFileURL(path).href);
}
