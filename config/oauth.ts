import { defineConfig } from "stratus";

export interface GitHubOAuthConfig {
  clientId: string;
  clientSecret: string;
  /** Where github.com's /login/oauth/* live; the tests point it at a local stand-in honouring the same contract. */
  oauthBaseUrl: string;
  /** api.github.com (GET /user, GET /user/emails). */
  apiBaseUrl: string;
}

export interface GoogleOAuthConfig {
  clientId: string;
  clientSecret: string;
  /** accounts.google.com: the consent page (/o/oauth2/v2/auth) and the ID tokens' issuer. */
  accountsBaseUrl: string;
  /** oauth2.googleapis.com (POST /token). */
  tokenBaseUrl: string;
}

/**
 * OAuth sign-in. GitHub is on when GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET
 * are set (callback APP_URL/auth/github/callback); Google when
 * GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET are (APP_URL/auth/google/callback).
 */
export default defineConfig("oauth", (env) => {
  const ghId = env.optional("GITHUB_CLIENT_ID");
  const ghSecret = env.optional("GITHUB_CLIENT_SECRET");
  const github: GitHubOAuthConfig | undefined =
    ghId && ghSecret
      ? { clientId: ghId, clientSecret: ghSecret, oauthBaseUrl: env.string("GITHUB_OAUTH_URL", "https://github.com"), apiBaseUrl: env.string("GITHUB_API_URL", "https://api.github.com") }
      : undefined;
  const gId = env.optional("GOOGLE_CLIENT_ID");
  const gSecret = env.optional("GOOGLE_CLIENT_SECRET");
  const google: GoogleOAuthConfig | undefined =
    gId && gSecret
      ? { clientId: gId, clientSecret: gSecret, accountsBaseUrl: env.string("GOOGLE_ACCOUNTS_URL", "https://accounts.google.com"), tokenBaseUrl: env.string("GOOGLE_TOKEN_URL", "https://oauth2.googleapis.com") }
      : undefined;
  return { github, google };
});

declare module "stratus" {
  interface AppConfig {
    oauth: { github: GitHubOAuthConfig | undefined; google: GoogleOAuthConfig | undefined };
  }
}
