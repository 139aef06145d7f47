import { generateState } from "arctic";
import { login, RememberTokens, authDatabase, type RequestContext } from "stratus";
import { html } from "stratus/html";
import { OAUTH_ACCOUNTS } from "../../db/tokens";
import type { User } from "../../db/schema";
import { redirect } from "../forms";
import { intendedUrl } from "../intended";
import { authPage } from "../layout";
import { users } from "../services";
import { fetchGitHubProfile, githubClient, GITHUB_SCOPES, type GitHubProfile } from "./github";

const STATE_KEY = "oauth.github.state";

function refused(c: RequestContext, why: string, status = 400) {
  return authPage(c, "Sign in with GitHub", html`<p class="error" role="alert">${why}</p><p><a href="/login">Back to sign in</a></p>`, status);
}

/** GET /auth/github: to GitHub's consent page, with a state bound to this session (CSRF on the callback). */
export function githubRedirect(c: RequestContext) {
  const cfg = c.config.oauth.github;
  if (!cfg) return refused(c, "GitHub sign-in is not configured.", 404);
  const state = generateState();
  c.session.put(STATE_KEY, state);
  const { client, authorize } = githubClient(cfg, c.config.app.url);
  return redirect(client.createAuthorizationURL(authorize, state, GITHUB_SCOPES).toString());
}

/** GET /auth/github/callback: checks the state, trades the code for a token, and signs the GitHub account's user in. */
export async function githubCallback(c: RequestContext) {
  const cfg = c.config.oauth.github;
  if (!cfg) return refused(c, "GitHub sign-in is not configured.", 404);
  const expected = c.session.pull<string>(STATE_KEY);
  const state = c.query.get("state");
  const code = c.query.get("code");
  if (!expected || state !== expected || !code) return refused(c, "The sign-in with GitHub did not start here or has expired. Try again.");
  let profile: GitHubProfile;
  try {
    const { client, token } = githubClient(cfg, c.config.app.url);
    const tokens = await client.validateAuthorizationCode(token, code, null);
    profile = await fetchGitHubProfile(cfg, tokens.accessToken());
  } catch (error) {
    c.log.warn("GitHub sign-in failed", { error });
    return refused(c, "GitHub did not confirm the sign-in. Try again.", 502);
  }
  const user = await userFor(c, profile);
  if (!user) return refused(c, "Your GitHub account has no verified email address. Verify one at GitHub, or register with a password.", 422);
  const target = intendedUrl(c);
  await login(c, user.id);
  return redirect(target);
}

/**
 * The user a GitHub account signs in: the one already linked; else the user
 * with GitHub's verified address (linked now); else a new user. Linking by
 * address takes GitHub's word that the address is theirs, so a local account
 * whose own address was never verified loses its password: whoever set it
 * never proved they own the address.
 */
async function userFor(c: RequestContext, profile: GitHubProfile): Promise<User | undefined> {
  const accounts = c.resolve(OAUTH_ACCOUNTS);
  const repo = users(c);
  const linked = await accounts.findFor("github", profile.id);
  if (linked) return repo.find(linked.userId);
  if (!profile.verifiedEmail) return undefined;
  let user = await repo.findByEmail(profile.verifiedEmail);
  if (user && user.emailVerifiedAt === null) {
    user = await repo.update(user.id, { emailVerifiedAt: new Date(), passwordHash: null });
    await new RememberTokens(authDatabase(c)).revokeUser(user.id);
  }
  user ??= await repo.create({ name: profile.name.slice(0, 120), email: profile.verifiedEmail, emailVerifiedAt: new Date() });
  await accounts.create({ provider: "github", providerUserId: profile.id, userId: user.id });
  return user;
}
