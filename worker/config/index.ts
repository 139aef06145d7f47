import app from "./app";
import ai from "./ai";
import cache from "./cache";
import cluster from "./cluster";
import components from "./components";
import database from "./database";
import queue from "./queue";
import schedule from "./schedule";
import session from "./session";
import mail from "./mail";
import login from "./login";
import { defineConfigFor, type ConfigOf } from "../app/config";

/** The framework's own config files, loaded before the app's (which may override any key). */
export const frameworkConfig = [app, database, cache, queue, schedule, ai, cluster, components, session, mail, login] as const;

/** What the framework reads: one entry per file above. */
export type FrameworkConfig = ConfigOf<typeof frameworkConfig>;

/**
 * The loaded configuration (`c.config`, `app.config`). An app adds its own keys by
 * augmenting this interface next to its config file:
 * `declare module "stratus" { interface AppConfig { weather: WeatherConfig } }`.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface AppConfig extends FrameworkConfig {}

/** `export default defineConfig("name", (env, defaults) => ({ ... }))` in a config file. */
export const defineConfig = defineConfigFor<AppConfig>();
