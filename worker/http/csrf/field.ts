import type { RequestContext } from "../context";
import { html, type Template } from "../../templating/html";

/** The hidden `_token` input a form needs to pass csrf(): `<form method="post">${csrfField(c)}…</form>`. */
export function csrfField(c: Pick<RequestContext, "session">): Template {
  return html`<input type="hidden" name="_token" value="${c.session.token()}">`;
}

/** For a page's `<meta name="csrf-token">`, read by scripts that send X-CSRF-Token. */
export function csrfToken(c: Pick<RequestContext, "session">): string {
  return c.session.token();
}
