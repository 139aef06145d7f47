import { OAuth2Client } from "arctic";
import type { GitHubOAuthConfig } from "../../../config/oauth";

/** What sign-in needs from a GitHub account. */
export interface GitHubProfile {
  id: string;
  name: string;
  /** The primary address if verified, else any verified one; undefined when GitHub vouches for none. */
  verifiedEmail: string | undefined;
}

export const GITHUB_SCOPES = ["read:user", "user:email"];

/**
 * GitHub's OAuth endpoints through arctic's generic client, so the base URLs
 * come from config (the tests' stand-in serves the same paths).
 */
export function githubClient(cfg: GitHubOAuthConfig, appUrl: string): { client: OAuth2Client; authorize: string; token: string } {
  return {
    client: new OAuth2Client(cfg.clientId, cfg.clientSecret, new URL("/auth/github/callback", appUrl).toString()),
    authorize: `${cfg.oauthBaseUrl}/login/oauth/authorize`,
    token: `${cfg.oauthBaseUrl}/login/oauth/access_token`,
  };
}

interface GitHubUser {
  id: number;
  login: string;
  name: string | null;
}
interface GitHubEmail {
  email: string;
  primary: boolean;
  verified: boolean;
}

export async function fetchGitHubProfile(cfg: GitHubOAuthConfig, accessToken: string): Promise<GitHubProfile> {
  const headers = { authorization: `Bearer ${accessToken}`, accept: "application/vnd.github+json", "user-agent": "stratus-app" };
  const [userRes, emailsRes] = await Promise.all([fetch(`${cfg.apiBaseUrl}/user`, { headers }), fetch(`${cfg.apiBaseUrl}/user/emails`, { headers })]);
  if (!userRes.ok || !emailsRes.ok) throw new Error(`GitHub API answered ${userRes.status} / ${emailsRes.status}`);
  const user = await userRes.json<GitHubUser>();
  const emails = await emailsRes.json<GitHubEmail[]>();
  const verified = emails.filter((e) => e.verified);
  const chosen = verified.find((e) => e.primary) ?? verified[0];
  return { id: String(user.id), name: user.name?.trim() || user.login, verifiedEmail: chosen?.email.toLowerCase() };
}
