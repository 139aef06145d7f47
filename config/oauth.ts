import { defineConfig } from "stratus";

export interface GitHubOAuthConfig {
  clientId: string;
  clientSecret: string;
  /** Where github.com's /login/oauth/* live; the tests point it at a local stand-in honouring the same contract. */
  oauthBaseUrl: string;
  /** api.github.com (GET /user, GET /user/emails). */
  apiBaseUrl: string;
}

/** OAuth sign-in. GitHub is on when GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET are set (the callback is APP_URL/auth/github/callback). */
export default defineConfig("oauth", (env) => {
  const clientId = env.optional("GITHUB_CLIENT_ID");
  const clientSecret = env.optional("GITHUB_CLIENT_SECRET");
  const github: GitHubOAuthConfig | undefined =
    clientId && clientSecret
      ? { clientId, clientSecret, oauthBaseUrl: env.string("GITHUB_OAUTH_URL", "https://github.com"), apiBaseUrl: env.string("GITHUB_API_URL", "https://api.github.com") }
      : undefined;
  return { github };
});

declare module "stratus" {
  interface AppConfig {
    oauth: { github: GitHubOAuthConfig | undefined };
  }
}
