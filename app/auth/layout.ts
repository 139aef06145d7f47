import { csrfField, type RequestContext } from "stratus";
import { html, view, type Template, type View } from "stratus/html";

/** The sign-in pages' shell: a title, the flashed status message, and a nav that knows whether someone is signed in. */
export function authPage(c: RequestContext, title: string, body: Template, status = 200): View {
  const message = c.session.get<string>("status");
  const signedIn = c.user !== undefined;
  const nav = signedIn
    ? html`<a href="/account">Account</a> <form method="post" action="/logout" class="inline">${csrfField(c)}<button type="submit">Sign out</button></form>`
    : html`<a href="/login">Sign in</a> <a href="/register">Register</a>`;
  return view(
    html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title} · ${c.config.app.name}</title>
<style>body{font-family:system-ui,sans-serif;max-width:34rem;margin:2rem auto;padding:0 1rem}label{display:block;font-weight:600}input{font:inherit;padding:.3rem;width:100%;box-sizing:border-box}input[type=checkbox]{width:auto}.error{color:#b00020;display:block}.status{background:#e8f5e9;padding:.5rem}.inline{display:inline}nav{margin-bottom:1rem}</style>
</head><body><nav><a href="/">${c.config.app.name}</a> ${nav}</nav>
<main><h1>${title}</h1>
${message ? html`<p class="status" role="status">${message}</p>` : ""}
${body}</main></body></html>`,
    { status, headers: { "cache-control": "no-store" } },
  );
}
