import { copyFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { appRoot } from "../lib/app.mjs";
import { args } from "../lib/args.mjs";
import { CliError } from "../lib/errors.mjs";
import { FRAMEWORK_ROOT } from "../lib/framework.mjs";

export const summary = "Copy the browser runtime into public/stratus/client.js (the app's dev and deploy scripts run it)";
export const usage = `Usage: stratus client

Copies the live-component browser runtime shipped with the installed framework to
public/stratus/client.js, where pages load it from. The app's dev and deploy
scripts run it first, so the runtime always matches the framework version.`;

export async function run(argv) {
  const { values } = args(argv, { options: { cwd: { type: "string" } }, usage });
  const root = appRoot(values.cwd ? join(process.cwd(), values.cwd) : process.cwd());
  const source = join(FRAMEWORK_ROOT, "public", "stratus", "client.js");
  if (!existsSync(source)) throw new CliError(`The framework at ${FRAMEWORK_ROOT} has no built runtime (public/stratus/client.js): run \`npm run build:client\` there.`);
  const target = join(root, "public", "stratus", "client.js");
  if (existsSync(target) && readFileSync(target).equals(readFileSync(source))) return;
  mkdirSync(join(root, "public", "stratus"), { recursive: true });
  copyFileSync(source, target);
  process.stdout.write("  updated  public/stratus/client.js\n");
}
