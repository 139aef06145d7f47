import app from "./app";
import ai from "./ai";
import cache from "./cache";
import cluster from "./cluster";
import components from "./components";
import database from "./database";
import queue from "./queue";
import schedule from "./schedule";
import type { ConfigOf } from "../worker/app/config";

export const configFiles = [app, database, cache, queue, schedule, ai, cluster, components] as const;

export type AppConfig = ConfigOf<typeof configFiles>;
