import { defineModule } from "stratus";
import { html } from "stratus/html";
import { pages } from "../views/layout";

/** The {{Name}} page: GET {{path}}, route name "{{kebab}}" (`router.url("{{kebab}}")`). */
export const {{module}} = defineModule({
  name: "{{kebab}}-page",
  routes(router) {
    router.get("{{path}}", () => pages.view(html`<p>This is the {{Name}} page.</p>`, { title: "{{Name}}" }), { name: "{{kebab}}" });
  },
});
