import { NotFoundError } from "../http/errors";
import type { Router } from "../routing/router";
import { isDevEnv } from "../dev/environments";
import { html, raw } from "../templating/html";
import { view } from "../templating/view";
import { MAILER } from "./tokens";

/**
 * GET /__stratus/mail and /__stratus/mail/:id: the log driver's mail, readable
 * in the browser (click the reset link). A 404 outside development and test.
 */
export function mailDevRoutes(router: Router): void {
  router.get("/__stratus/mail", (c) => {
    const log = c.resolve(MAILER).logged();
    if (!isDevEnv(c.config.app.env) || !log) throw new NotFoundError(`No route matches GET ${c.url.pathname}.`);
    const rows = log.list().map((e) => html`<li><a href="/__stratus/mail/${e.id}">${e.mail.subject}</a> to ${e.mail.to.map((a) => a.email).join(", ")} <time>${new Date(e.sentAt).toISOString()}</time></li>`);
    return view(html`<!doctype html><html><head><meta charset="utf-8"><title>Mail</title></head><body><h1>Mail (log driver)</h1><ul>${rows}</ul></body></html>`, { headers: { "cache-control": "no-store" } });
  }, { name: "stratus.mail.index" });

  router.get("/__stratus/mail/:id", (c) => {
    const log = c.resolve(MAILER).logged();
    const entry = isDevEnv(c.config.app.env) ? log?.find(c.params.id!) : undefined;
    if (!entry) throw new NotFoundError(`No logged mail ${c.params.id}.`);
    const m = entry.mail;
    // The mail's own HTML, as a mail client would show it; sandboxed so its markup cannot script this origin.
    return view(html`<!doctype html><html><head><meta charset="utf-8"><title>${m.subject}</title></head><body><p>From ${m.from.email} to ${m.to.map((a) => a.email).join(", ")}: <strong>${m.subject}</strong></p><hr>${raw(m.html)}</body></html>`, {
      headers: { "cache-control": "no-store", "content-security-policy": "sandbox allow-popups allow-popups-to-escape-sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src * data:" },
    });
  }, { name: "stratus.mail.show" });
}
