import { generateCodeVerifier, generateState } from "arctic";
import { login, RememberTokens, authDatabase, type RequestContext } from "stratus";
import { html } from "stratus/html";
import { OAUTH_ACCOUNTS } from "../../db/tokens";
import type { User } from "../../db/schema";
import { redirect } from "../forms";
import { intendedUrl } from "../intended";
import { authPage } from "../layout";
import { users } from "../services";
import { githubProvider } from "./github";
import { googleProvider } from "./google";
import type { OAuthProfile, OAuthProvider } from "./provider";

type ProviderId = OAuthProvider["id"];
const LABELS: Record<ProviderId, string> = { github: "GitHub", google: "Google" };

/** The provider when config/oauth.ts has its credentials, else undefined (its routes answer 404). */
function provider(c: RequestContext, id: ProviderId): OAuthProvider | undefined {
  const { github, google } = c.config.oauth;
  if (id === "github") return github && githubProvider(github, c.config.app.url);
  return google && googleProvider(google, c.config.app.url);
}

function refused(c: RequestContext, id: ProviderId, why: string, status = 400) {
  return authPage(c, `Sign in with ${LABELS[id]}`, html`<p class="error" role="alert">${why}</p><p><a href="/login">Back to sign in</a></p>`, status);
}

/** GET /auth/<provider>: to the provider's consent page, with a state (and PKCE verifier) bound to this session. */
export function oauthRedirect(id: ProviderId) {
  return function oauthRedirect(c: RequestContext) {
    const p = provider(c, id);
    if (!p) return refused(c, id, `${LABELS[id]} sign-in is not configured.`, 404);
    const state = generateState();
    const verifier = generateCodeVerifier();
    c.session.put(`oauth.${id}`, { state, verifier });
    return redirect(p.authorizationUrl(state, verifier).toString());
  };
}

/** GET /auth/<provider>/callback: checks the state, trades the code for the profile, and signs the account's user in. */
export function oauthCallback(id: ProviderId) {
  return async function oauthCallback(c: RequestContext) {
    const p = provider(c, id);
    if (!p) return refused(c, id, `${LABELS[id]} sign-in is not configured.`, 404);
    const started = c.session.pull<{ state: string; verifier: string }>(`oauth.${id}`);
    const state = c.query.get("state");
    const code = c.query.get("code");
    if (!started || state !== started.state || !code) return refused(c, id, `The sign-in with ${p.label} did not start here or has expired. Try again.`);
    let profile: OAuthProfile;
    try {
      profile = await p.profile(code, started.verifier);
    } catch (error) {
      c.log.warn(`${p.label} sign-in failed`, { error });
      return refused(c, id, `${p.label} did not confirm the sign-in. Try again.`, 502);
    }
    const user = await userFor(c, id, profile);
    if (!user) return refused(c, id, `Your ${p.label} account has no verified email address. Verify one at ${p.label}, or register with a password.`, 422);
    const target = intendedUrl(c);
    await login(c, user.id);
    return redirect(target);
  };
}

/**
 * The user a provider account signs in: the one already linked; else the
 * user with the provider's verified address (linked now); else a new user.
 * Linking by address takes the provider's word that the address is theirs,
 * so a local account whose own address was never verified loses its
 * password: whoever set it never proved they own the address.
 */
async function userFor(c: RequestContext, id: ProviderId, profile: OAuthProfile): Promise<User | undefined> {
  const accounts = c.resolve(OAUTH_ACCOUNTS);
  const repo = users(c);
  const linked = await accounts.findFor(id, profile.id);
  if (linked) return repo.find(linked.userId);
  if (!profile.verifiedEmail) return undefined;
  let user = await repo.findByEmail(profile.verifiedEmail);
  if (user && user.emailVerifiedAt === null) {
    user = await repo.update(user.id, { emailVerifiedAt: new Date(), passwordHash: null });
    await new RememberTokens(authDatabase(c)).revokeUser(user.id);
  }
  user ??= await repo.create({ name: profile.name.slice(0, 120), email: profile.verifiedEmail, emailVerifiedAt: new Date() });
  await accounts.create({ provider: id, providerUserId: profile.id, userId: user.id });
  return user;
}

/** Links to the configured providers, for the sign-in and register pages. */
export function oauthLinks(c: RequestContext) {
  const { github, google } = c.config.oauth;
  return html`${github ? html`<p><a href="/auth/github">Sign in with GitHub</a></p>` : ""}${google ? html`<p><a href="/auth/google">Sign in with Google</a></p>` : ""}`;
}
