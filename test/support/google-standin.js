// A local stand-in for Google's OAuth 2.0 / OpenID Connect endpoints, honouring the contract the
// app's Google sign-in uses through arctic (app/auth/oauth/google.ts): vitest.config.ts routes the
// app Worker's outbound fetches here first; other hosts go on to the GitHub stand-in (NEXT).
//
//   http://accounts.google.standin/o/oauth2/v2/auth   302 to redirect_uri with ?code&state (the consent step);
//       needs client_id, response_type=code, redirect_uri, scope with openid, code_challenge + S256 (PKCE)
//   http://oauth2.google.standin/token                 POST, Basic client credentials, code + redirect_uri +
//       code_verifier (checked against the challenge) -> JSON { access_token, id_token, expires_in, ... }
//
// The ID token is a JWT whose claims are Google's (iss, aud, sub, exp, iat, email, email_verified,
// name); its signature is a placeholder, as the app reads a token received straight from the token
// endpoint without verifying one (OIDC Core 3.1.3.7).
//
// Test control: the authorize URL's `standin_user` query value (base64url JSON
// `{ sub, name, email, email_verified }`, plus optional `iss`/`aud`/`exp` overrides) is the Google
// account that consents. The code carries it, so the stand-in keeps no state between requests.

const CLIENT_ID = "standin-google-client";
const CLIENT_SECRET = "standin-google-secret";
const ISSUER = "http://accounts.google.standin";

const b64 = (s) => btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
const unb64 = (s) => atob(s.replace(/-/g, "+").replace(/_/g, "/"));
const json = (body, status = 200) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

async function s256(verifier) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
  return b64(String.fromCharCode(...digest));
}

function authorize(url) {
  const q = url.searchParams;
  if (q.get("client_id") !== CLIENT_ID) return new Response("invalid_client", { status: 400 });
  if (q.get("response_type") !== "code") return new Response("unsupported_response_type", { status: 400 });
  if (!(q.get("scope") ?? "").split(" ").includes("openid")) return new Response("invalid_scope: openid is required", { status: 400 });
  if (!q.get("code_challenge") || q.get("code_challenge_method") !== "S256") return new Response("invalid_request: PKCE S256 is required", { status: 400 });
  const redirect = q.get("redirect_uri");
  const user = q.get("standin_user");
  if (!redirect || !user) return new Response("redirect_uri and standin_user are required", { status: 400 });
  const code = b64(JSON.stringify({ user: JSON.parse(unb64(user)), redirect, challenge: q.get("code_challenge") }));
  const to = new URL(redirect);
  to.searchParams.set("code", code);
  to.searchParams.set("state", q.get("state") ?? "");
  return new Response(null, { status: 302, headers: { location: to.toString() } });
}

async function token(request) {
  if (request.headers.get("authorization") !== `Basic ${btoa(`${CLIENT_ID}:${CLIENT_SECRET}`)}`) return json({ error: "invalid_client" }, 401);
  const form = new URLSearchParams(await request.text());
  let grant;
  try {
    grant = JSON.parse(unb64(form.get("code") ?? ""));
  } catch {
    return json({ error: "invalid_grant", error_description: "Malformed auth code." }, 400);
  }
  if (form.get("grant_type") !== "authorization_code" || form.get("redirect_uri") !== grant.redirect) return json({ error: "redirect_uri_mismatch" }, 400);
  if ((await s256(form.get("code_verifier") ?? "")) !== grant.challenge) return json({ error: "invalid_grant", error_description: "Invalid code verifier." }, 400);
  const now = Math.floor(Date.now() / 1000);
  const u = grant.user;
  const claims = { iss: u.iss ?? ISSUER, aud: u.aud ?? CLIENT_ID, sub: u.sub, iat: now, exp: u.exp ?? now + 3600, email: u.email, email_verified: u.email_verified, name: u.name };
  const idToken = `${b64(JSON.stringify({ alg: "RS256", typ: "JWT", kid: "standin" }))}.${b64(JSON.stringify(claims))}.${b64("standin-signature")}`;
  return json({ access_token: `ya29.standin-${crypto.randomUUID()}`, expires_in: 3599, token_type: "Bearer", scope: "openid https://www.googleapis.com/auth/userinfo.profile https://www.googleapis.com/auth/userinfo.email", id_token: idToken });
}

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.hostname === "accounts.google.standin") {
      if (url.pathname === "/o/oauth2/v2/auth") return authorize(url);
      return new Response("not found", { status: 404 });
    }
    if (url.hostname === "oauth2.google.standin") {
      if (url.pathname === "/token" && request.method === "POST") return token(request);
      return new Response("not found", { status: 404 });
    }
    return env.NEXT.fetch(request);
  },
};
