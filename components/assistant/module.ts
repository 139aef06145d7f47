import { defineModule } from "stratus";
import { COMPONENTS, html } from "stratus/html";
import { demoEngine } from "../demo/module";

/** A page with a live Assistant: open it twice and both tabs watch the answer stream in. */
export const assistantModule = defineModule({
  name: "assistant",
  routes(router) {
    router.get(
      "/assistant/:key?",
      (c) => {
        const live = c.resolve(COMPONENTS).live("assistant", c.params.key ?? "main");
        return demoEngine.view(html`<p>Ask something; every open tab sees the answer grow.</p>${live}`, { title: "Stratus assistant" });
      },
      { name: "assistant" },
    );
  },
});
