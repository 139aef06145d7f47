/** What sign-in needs from an account at an OAuth provider. */
export interface OAuthProfile {
  /** The provider's own, stable user id. */
  id: string;
  name: string;
  /** An address the provider vouches the user reads; undefined when it vouches for none. */
  verifiedEmail: string | undefined;
}

/**
 * One OAuth provider, as the routes in ./routes.ts drive it: the consent URL
 * for a state and a PKCE verifier (a provider that takes no PKCE ignores the
 * verifier), then the profile for the code the callback brings back.
 */
export interface OAuthProvider {
  /** The `provider` column of oauth_accounts and the path segment: /auth/<id>. */
  readonly id: "github" | "google";
  /** The provider's name as users know it. */
  readonly label: string;
  authorizationUrl(state: string, codeVerifier: string): URL;
  profile(code: string, codeVerifier: string): Promise<OAuthProfile>;
}
