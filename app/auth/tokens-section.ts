import { ApiTokens, csrfField, type ApiTokenSummary, type RequestContext } from "stratus";
import { html, type Template } from "stratus/html";
import { ROLE_ABILITIES, TOKEN_ABILITIES } from "./roles";

/** Flash key under which POST /account/tokens leaves the new token's plaintext, shown exactly once. */
export const CREATED_TOKEN_FLASH = "tokens.created";
export const TOKEN_MESSAGE_FLASH = "tokens.message";

const when = (ms: number | null, none: string) => (ms === null ? none : new Date(ms).toISOString().replace("T", " ").slice(0, 16) + " UTC");

function state(t: ApiTokenSummary, now: number): string {
  if (t.revokedAt !== null) return `revoked ${when(t.revokedAt, "")}`;
  if (t.expiresAt !== null && t.expiresAt <= now) return "expired";
  return "active";
}

/** The abilities the signed-in user may put on a token (a token can only narrow the user's own). */
export function grantableAbilities(c: RequestContext): readonly string[] {
  const mine = c.user ? ROLE_ABILITIES[c.user.role] : [];
  return TOKEN_ABILITIES.filter((a) => mine.includes("*") || mine.includes(a));
}

/**
 * The /account page's "API tokens" section: the new token's plaintext (once,
 * from the flash), the user's tokens with their abilities, last use and
 * state, a revoke button for live ones, and the form that makes a new one.
 */
export async function tokensSection(c: RequestContext): Promise<Template> {
  const user = c.user;
  if (!user) return html``;
  const tokens = await new ApiTokens(c.env.DB).forUser(user.id);
  const created = c.session.get<{ name: string; plaintext: string }>(CREATED_TOKEN_FLASH);
  const message = c.session.get<string>(TOKEN_MESSAGE_FLASH);
  const now = Date.now();
  const rows = tokens.map((t) => html`<tr data-token="${t.id}"><td>${t.name}</td><td>${t.abilities.join(", ")}</td><td>${when(t.lastUsedAt, "never")}</td><td>${when(t.expiresAt, "never")}</td><td>${state(t, now)}</td><td>${
    t.revokedAt === null ? html`<form method="post" action="/account/tokens/${t.id}/revoke">${csrfField(c)}<button>Revoke</button></form>` : html``
  }</td></tr>`);
  const abilities = grantableAbilities(c).map((a) => html`<label><input type="checkbox" name="abilities" value="${a}"${c.session.old("abilities") === a ? " checked" : ""}> ${a}</label> `);
  return html`<section id="api-tokens"><h2>API tokens</h2>
${message ? html`<p class="notice" role="status">${message}</p>` : html``}
${created ? html`<div class="new-token" role="status"><p>Your new token "${created.name}". Copy it now: it is not shown again.</p><pre><code id="new-token">${created.plaintext}</code></pre></div>` : html``}
${tokens.length === 0 ? html`<p>No tokens yet.</p>` : html`<table><thead><tr><th>Name</th><th>Abilities</th><th>Last used</th><th>Expires</th><th>State</th><th></th></tr></thead><tbody>${rows}</tbody></table>`}
<form method="post" action="/account/tokens">${csrfField(c)}
<label>Name <input name="name" required maxlength="80" value="${String(c.session.old("name"))}"></label>
<fieldset><legend>Abilities</legend>${abilities}</fieldset>
<label>Expires in <select name="expires_in_days"><option value="">never</option><option value="7">7 days</option><option value="30">30 days</option><option value="90">90 days</option><option value="365">a year</option></select></label>
<button>Create token</button></form></section>`;
}
