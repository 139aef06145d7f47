import { OAuth2Client } from "arctic";
import type { GitHubOAuthConfig } from "../../../config/oauth";
import type { OAuthProfile, OAuthProvider } from "./provider";

export const GITHUB_SCOPES = ["read:user", "user:email"];

/**
 * GitHub through arctic's generic client, so the base URLs come from config
 * (the tests' stand-in serves the same paths). GitHub's OAuth apps take no
 * PKCE; the state alone binds the callback to the session.
 */
export function githubProvider(cfg: GitHubOAuthConfig, appUrl: string): OAuthProvider {
  const client = new OAuth2Client(cfg.clientId, cfg.clientSecret, new URL("/auth/github/callback", appUrl).toString());
  return {
    id: "github",
    label: "GitHub",
    authorizationUrl: (state) => client.createAuthorizationURL(`${cfg.oauthBaseUrl}/login/oauth/authorize`, state, GITHUB_SCOPES),
    async profile(code) {
      const tokens = await client.validateAuthorizationCode(`${cfg.oauthBaseUrl}/login/oauth/access_token`, code, null);
      return fetchGitHubProfile(cfg, tokens.accessToken());
    },
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

async function fetchGitHubProfile(cfg: GitHubOAuthConfig, accessToken: string): Promise<OAuthProfile> {
  const headers = { authorization: `Bearer ${accessToken}`, accept: "application/vnd.github+json", "user-agent": "stratus-app" };
  const [userRes, emailsRes] = await Promise.all([fetch(`${cfg.apiBaseUrl}/user`, { headers }), fetch(`${cfg.apiBaseUrl}/user/emails`, { headers })]);
  if (!userRes.ok || !emailsRes.ok) throw new Error(`GitHub API answered ${userRes.status} / ${emailsRes.status}`);
  const user = await userRes.json<GitHubUser>();
  const emails = await emailsRes.json<GitHubEmail[]>();
  const verified = emails.filter((e) => e.verified);
  const chosen = verified.find((e) => e.primary) ?? verified[0];
  return { id: String(user.id), name: user.name?.trim() || user.login, verifiedEmail: chosen?.email.toLowerCase() };
}
