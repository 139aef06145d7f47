import { describe, expect, it } from "vitest";
import { as, call, seedUser, unique, type Problem } from "./support";

/** A signed-in browser: sends the cookie the last response set, and the session's CSRF token in forms. */
async function signedIn(role: "member" | "editor" | "admin" = "member") {
  const user = await seedUser(role);
  const headers = await as(user);
  let cookie = headers.cookie!;
  const csrf = headers["x-csrf-token"]!;
  const send = async (method: string, path: string, form?: Record<string, string | string[]>) => {
    const init: Record<string, string> = { cookie, accept: "text/html" };
    let body: string | undefined;
    if (form) {
      const params = new URLSearchParams({ _token: csrf });
      for (const [k, v] of Object.entries(form)) for (const one of [v].flat()) params.append(k, one);
      body = params.toString();
      init["content-type"] = "application/x-www-form-urlencoded";
    }
    const res = await call(method, path, body, init);
    const set = res.headers.getSetCookie().find((l) => l.startsWith("stratus_session="));
    if (set) cookie = set.split(";")[0]!;
    return res;
  };
  return { user, send, page: async () => (await send("GET", "/account/tokens")).text() };
}

const plaintextIn = (page: string) => /<code id="new-token">(stratus_[^<]+)<\/code>/.exec(page)?.[1];
const article = () => ({ title: "Via token", slug: unique("tok"), body: "B" });

describe("/account/tokens", () => {
  it("needs a signed-in user: a page request is sent to /login", async () => {
    const res = await call("GET", "/account/tokens", undefined, { accept: "text/html" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`/login?intended=${encodeURIComponent("/account/tokens")}`);
    expect((await call("POST", "/account/tokens", "name=x", { "content-type": "application/x-www-form-urlencoded" })).status).toBe(401);
  });

  it("creates a token, shows its plaintext exactly once, and the token works on the API", async () => {
    const b = await signedIn();
    const res = await b.send("POST", "/account/tokens", { name: "laptop", abilities: ["articles:write"] });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/account");
    const first = await b.page();
    const plaintext = plaintextIn(first);
    expect(plaintext).toMatch(/^stratus_[0-9a-f]{24}_/);
    expect(first).toContain("<td>laptop</td><td>articles:write</td><td>never</td><td>never</td><td>active</td>");
    const again = await b.page();
    expect(plaintextIn(again)).toBeUndefined();
    expect(again).not.toContain(plaintext!);

    const created = await call("POST", "/api/articles", article(), { authorization: `Bearer ${plaintext}` });
    expect(created.status).toBe(201);
    expect((await created.json<{ authorId: string }>()).authorId).toBe(b.user.id);
    expect(await b.page()).not.toContain("<td>never</td><td>never</td><td>active</td>");

    const profile = await call("PATCH", `/api/users/${b.user.id}`, { name: "X" }, { authorization: `Bearer ${plaintext}` });
    expect(profile.status).toBe(403);
    expect((await profile.json<Problem>()).type).toBe("https://stratus.dev/problems/insufficient-ability");
  });

  it("revokes a token: it stops working at once; another user cannot revoke it", async () => {
    const b = await signedIn();
    await b.send("POST", "/account/tokens", { name: "ci", abilities: ["articles:write"], expires_in_days: "30" });
    const page = await b.page();
    const plaintext = plaintextIn(page)!;
    const id = plaintext.split("_")[1]!;

    const other = await signedIn();
    await other.send("POST", `/account/tokens/${id}/revoke`, {});
    expect(await other.page()).toContain("No such live token.");
    expect((await call("POST", "/api/articles", article(), { authorization: `Bearer ${plaintext}` })).status).toBe(201);

    expect((await b.send("POST", `/account/tokens/${id}/revoke`, {})).status).toBe(303);
    const after = await b.page();
    expect(after).toContain("Token revoked.");
    expect(after).toMatch(/<td>revoked \d{4}-/);
    const refused = await call("POST", "/api/articles", article(), { authorization: `Bearer ${plaintext}` });
    expect(refused.status).toBe(401);
    expect((await refused.json<Problem>()).detail).toContain("revoked");
  });

  it("refuses abilities the user does not have, and a missing name, with a message", async () => {
    const b = await signedIn("member");
    expect(await b.page()).not.toContain('value="news:write"');
    await b.send("POST", "/account/tokens", { name: "sneaky", abilities: ["news:write"] });
    const page = await b.page();
    expect(page).toContain("You cannot give a token an ability you do not have.");
    expect(page).not.toContain("<td>sneaky</td>");
    await b.send("POST", "/account/tokens", { name: "", abilities: ["articles:write"] });
    expect(await b.page()).toContain("Give the token a name.");
    const editor = await signedIn("editor");
    expect(await editor.page()).toContain('value="news:write"');
  });

  it("a form without the CSRF token is refused (403)", async () => {
    const b = await signedIn();
    const headers = await as(b.user);
    const res = await call("POST", "/account/tokens", "name=x&abilities=articles%3Awrite", { cookie: headers.cookie!, "content-type": "application/x-www-form-urlencoded" });
    expect(res.status).toBe(403);
  });
});
