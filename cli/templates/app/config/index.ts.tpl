import app from "./app";
import components from "./components";

/** The app's config files, loaded after the framework's: each may override a framework key or add its own. */
export const config = [app, components] as const;
