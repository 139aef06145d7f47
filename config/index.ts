import app from "./app";
import cluster from "./cluster";
import components from "./components";

/**
 * The app's config files, loaded after the framework's: each may override a
 * framework key (receiving its values) or add a key of the app's own.
 */
export const config = [app, cluster, components] as const;
