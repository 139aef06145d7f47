// A local stand-in for GitHub's OAuth and REST endpoints, honouring the contract the app's
// GitHub sign-in uses (app/auth/oauth): vitest.config.ts routes the app Worker's outbound fetches
// here (miniflare `outboundService`); requests for other hosts pass through unchanged.
//
//   http://github.standin/login/oauth/authorize      302 to redirect_uri with ?code&state (the consent step)
//   http://github.standin/login/oauth/access_token   POST, Basic client credentials, code + redirect_uri -> JSON token
//   http://api.github.standin/user, /user/emails     Bearer token -> the account and its addresses
//
// Test control: the authorize URL's `standin_user` query value (base64url JSON
// `{ id, login, name, emails: [{ email, primary, verified }] }`) is the GitHub account that consents.
// The code and the access token carry it, so the stand-in keeps no state between requests.

const CLIENT_ID = "standin-client";
const CLIENT_SECRET = "standin-secret";

const b64 = (s) => btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
const unb64 = (s) => atob(s.replace(/-/g, "+").replace(/_/g, "/"));
const json = (body, status = 200) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

function authorize(url) {
  if (url.searchParams.get("client_id") !== CLIENT_ID) return new Response("unknown client_id", { status: 400 });
  const redirect = url.searchParams.get("redirect_uri");
  const user = url.searchParams.get("standin_user");
  if (!redirect || !user) return new Response("redirect_uri and standin_user are required", { status: 400 });
  const code = b64(JSON.stringify({ user: JSON.parse(unb64(user)), redirect }));
  const to = new URL(redirect);
  to.searchParams.set("code", code);
  to.searchParams.set("state", url.searchParams.get("state") ?? "");
  return new Response(null, { status: 302, headers: { location: to.toString() } });
}

async function accessToken(request) {
  if (request.headers.get("authorization") !== `Basic ${btoa(`${CLIENT_ID}:${CLIENT_SECRET}`)}`) return json({ error: "incorrect_client_credentials" }, 401);
  const form = new URLSearchParams(await request.text());
  let grant;
  try {
    grant = JSON.parse(unb64(form.get("code") ?? ""));
  } catch {
    return json({ error: "bad_verification_code", error_description: "The code passed is incorrect or expired." }, 400);
  }
  if (form.get("grant_type") !== "authorization_code" || form.get("redirect_uri") !== grant.redirect) return json({ error: "redirect_uri_mismatch" }, 400);
  return json({ access_token: `gho_${b64(JSON.stringify(grant.user))}`, token_type: "bearer", scope: "read:user,user:email" });
}

function api(request, url) {
  const token = /^Bearer gho_(.+)$/.exec(request.headers.get("authorization") ?? "")?.[1];
  if (!token) return json({ message: "Requires authentication" }, 401);
  const user = JSON.parse(unb64(token));
  if (url.pathname === "/user") return json({ id: user.id, login: user.login, name: user.name ?? null });
  if (url.pathname === "/user/emails") return json(user.emails ?? []);
  return json({ message: "Not Found" }, 404);
}

export default {
  async fetch(request) {
    const url = new URL(request.url);
    if (url.hostname === "github.standin") {
      if (url.pathname === "/login/oauth/authorize") return authorize(url);
      if (url.pathname === "/login/oauth/access_token" && request.method === "POST") return accessToken(request);
      return new Response("not found", { status: 404 });
    }
    if (url.hostname === "api.github.standin") return api(request, url);
    return fetch(request);
  },
};
