import { auth, defineModule, NotFoundError, type RequestContext } from "stratus";
import { EVENTS } from "stratus/events";
import { COMPONENT_REGISTRY, COMPONENTS, html } from "stratus/html";
import "../../app/api/user-events";
import { USERS } from "../../app/db/tokens";
import { appEngine } from "../../app/layout";
import { AVATAR_TYPES, avatarPath } from "./profile";
import type { UserProfile } from "./user-profile";

/** The component's name in config/components.ts and in its mount URLs. */
export const PROFILE_COMPONENT = "user-profile";
const ID = /^[\w-]{1,64}$/;

type ProfileStub = Rpc.DurableObjectBranded & Pick<UserProfile, "refresh" | "profile">;
export const profileStub = (c: RequestContext, id: string) => c.resolve(COMPONENT_REGISTRY).stub(PROFILE_COMPONENT, id) as unknown as ProfileStub;

async function userOr404(c: RequestContext, id: string | undefined) {
  const user = id && ID.test(id) ? await c.resolve(USERS).find(id) : undefined;
  if (!user) throw new NotFoundError(`No user ${String(id).slice(0, 64)}.`);
  return user;
}

async function show(c: RequestContext<{ id: string }>) {
  const user = await userOr404(c, c.params.id);
  // The object re-reads the row before the page renders it, so a page never shows an older profile than D1 holds.
  await profileStub(c, user.id).refresh();
  // Only the owner or an admin gets the edit button shown; the component's authorize decides either way.
  const editor = c.user ? await c.identity.can("update", user) : false;
  const live = await c.resolve(COMPONENTS).live(PROFILE_COMPONENT, user.id, { attrs: { class: editor ? "profile-mount can-edit" : "profile-mount", id: "profile" } });
  return appEngine.view(html`<div data-flash="5000" class="flash"></div>${live}`, { title: "Profile" });
}

/** The kept avatar, streamed from R2. Its URL names the upload, so it is cached for good; a replaced one is a 404. */
async function avatar(c: RequestContext<{ id: string; upload: string }>) {
  const user = await userOr404(c, c.params.id);
  if (!user.avatarKey || user.avatarUrl !== avatarPath(user.id, c.params.upload)) throw new NotFoundError("No such avatar.");
  const etag = c.request.headers.get("if-none-match");
  const object = await c.env.UPLOADS.get(user.avatarKey, etag ? { onlyIf: { etagDoesNotMatch: etag.replace(/^W\//, "").replaceAll('"', "") } } : {});
  if (!object) throw new NotFoundError("No such avatar.");
  const headers = new Headers({ etag: object.httpEtag, "cache-control": "public, max-age=31536000, immutable", "x-content-type-options": "nosniff" });
  if (!("body" in object)) return new Response(null, { status: 304, headers });
  const type = object.httpMetadata?.contentType ?? "";
  headers.set("content-type", AVATAR_TYPES.includes(type) ? type : "application/octet-stream");
  headers.set("content-length", String(object.size));
  return new Response(object.body, { headers });
}

/**
 * /users/:id (a user's live profile), its avatar route, and /profile (the
 * signed-in user's own). Writes to a users row made elsewhere reach the live
 * profile through the `user.updated` broadcast.
 */
export const userProfileModule = defineModule({
  name: "user-profile",
  providers: [
    {
      name: "user-profile.broadcasts",
      register() {},
      boot(app) {
        const events = app.resolve(EVENTS);
        events.broadcast("user.updated", (u) => ({ component: PROFILE_COMPONENT, key: u.id }));
        events.broadcast("user.deleted", (u) => ({ component: PROFILE_COMPONENT, key: u.id }));
      },
    },
  ],
  routes(router) {
    router.get("/profile", (c) => new Response(null, { status: 302, headers: { location: `/users/${encodeURIComponent(c.user!.id)}` } }), { name: "profile.mine", middleware: [auth()] });
    router.get("/users/:id", show, { name: "users.profile" });
    router.get("/users/:id/avatar/:upload", avatar, { name: "users.avatar" });
  },
});
