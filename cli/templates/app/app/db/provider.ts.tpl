import type { ServiceProvider } from "stratus";
import { DATABASE } from "stratus/db";
import { NoteRepository } from "./repositories/notes";
import { NOTES } from "./tokens";

/** The app's repositories over the framework's DATABASE handle. */
export const repositoriesProvider: ServiceProvider = {
  name: "repositories",
  register(app) {
    app.container.singleton(NOTES, (c) => new NoteRepository(c.resolve(DATABASE)));
  },
};
