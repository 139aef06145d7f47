import { auth, defineModule } from "stratus";
import { COMPONENTS, html } from "stratus/html";
import { demoEngine } from "../demo/module";

/**
 * GET /notes: the signed-in user's private notepad. `live(name, key)` binds
 * the user into the mount token by itself; the key is the user's id.
 */
export const notepadModule = defineModule({
  name: "notepad",
  routes(router) {
    router.get(
      "/notes",
      (c) => {
        const live = c.resolve(COMPONENTS).live("notepad", c.user!.id, { attrs: { id: "notepad" } });
        return demoEngine.view(html`<p>Only you can write here.</p>${live}`, { title: "Your notes" });
      },
      { name: "notes", middleware: [auth()] },
    );
  },
});
