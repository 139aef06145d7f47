import { CodeChallengeMethod, decodeIdToken, OAuth2Client } from "arctic";
import type { GoogleOAuthConfig } from "../../../config/oauth";
import type { OAuthProvider } from "./provider";

export const GOOGLE_SCOPES = ["openid", "profile", "email"];

/** The ID token claims sign-in reads (OpenID Connect Core §2, Google's `email_verified`). */
interface GoogleClaims {
  iss?: unknown;
  aud?: unknown;
  exp?: unknown;
  sub?: unknown;
  name?: unknown;
  email?: unknown;
  email_verified?: unknown;
}

/**
 * Google through arctic's generic client with PKCE (S256), as arctic's own
 * Google provider does, but with the endpoints from config so the tests'
 * stand-in can serve them. The profile is the ID token from the token
 * endpoint: received straight from Google over TLS, it needs no signature
 * check (OIDC Core §3.1.3.7), but its issuer, audience and expiry are checked.
 */
export function googleProvider(cfg: GoogleOAuthConfig, appUrl: string): OAuthProvider {
  const client = new OAuth2Client(cfg.clientId, cfg.clientSecret, new URL("/auth/google/callback", appUrl).toString());
  const issuers = [cfg.accountsBaseUrl, new URL(cfg.accountsBaseUrl).host];
  return {
    id: "google",
    label: "Google",
    authorizationUrl: (state, verifier) => client.createAuthorizationURLWithPKCE(`${cfg.accountsBaseUrl}/o/oauth2/v2/auth`, state, CodeChallengeMethod.S256, verifier, GOOGLE_SCOPES),
    async profile(code, verifier) {
      const tokens = await client.validateAuthorizationCode(`${cfg.tokenBaseUrl}/token`, code, verifier);
      const claims = decodeIdToken(tokens.idToken()) as GoogleClaims;
      if (typeof claims.iss !== "string" || !issuers.includes(claims.iss)) throw new Error(`Google ID token from another issuer: ${String(claims.iss)}`);
      if (claims.aud !== cfg.clientId) throw new Error("Google ID token for another client");
      if (typeof claims.exp !== "number" || claims.exp * 1000 <= Date.now()) throw new Error("Google ID token has expired");
      if (typeof claims.sub !== "string" || claims.sub === "") throw new Error("Google ID token without a subject");
      const email = typeof claims.email === "string" && claims.email_verified === true ? claims.email.toLowerCase() : undefined;
      const name = typeof claims.name === "string" && claims.name.trim() !== "" ? claims.name.trim() : (email?.split("@")[0] ?? "Google user");
      return { id: claims.sub, name, verifiedEmail: email };
    },
  };
}
