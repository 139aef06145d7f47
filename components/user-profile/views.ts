import { html, type Template } from "stratus/html";
import type { FormView, Viewer } from "stratus/live";
import { AVATAR_MAX_BYTES, AVATAR_TYPES, type ArticleItem, type Profile } from "./profile";

export interface ProfileState {
  /** Null until the first read of D1 (or after the row was deleted: `gone`). */
  profile: Profile | null;
  gone: boolean;
  articles: ArticleItem[];
  /** The owner has at least one tab of the page open. */
  online: boolean;
}

/** One viewer's own state: whether their edit form is open (only an owner or admin can open it). */
export interface ProfileViewer {
  editing: boolean;
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const host = (url: string) => {
  try {
    return new URL(url).host + new URL(url).pathname.replace(/\/$/, "");
  } catch {
    return url;
  }
};
const text = (f: FormView, name: string) => {
  const value = f.field(name);
  return typeof value === "string" ? value : "";
};
const errors = (f: FormView, name: string) => f.errors(name).join(" ");

function avatar(p: Profile): Template {
  if (p.avatarUrl) return html`<img class="avatar" id="profile-avatar" src="${p.avatarUrl}" alt="${p.name}" width="96" height="96">`;
  const initials = p.name.split(/\s+/).filter(Boolean).slice(0, 2).map((w) => w[0]!.toUpperCase()).join("");
  return html`<div class="avatar placeholder" id="profile-avatar" aria-hidden="true">${initials}</div>`;
}

/** Bound fields (data-model) validated as they are typed (data-validate); values and errors come from this viewer's form. */
function editForm(f: FormView): Template {
  return html`<form class="profile-form" id="profile-form" data-action="save" data-validate novalidate>
<label for="profile-name-input">Name</label>
<input id="profile-name-input" name="name" data-model="name" value="${text(f, "name")}" autocomplete="name" maxlength="200">
<p class="error" id="name-error" role="alert">${errors(f, "name")}</p>
<label for="profile-bio-input">Bio</label>
<textarea id="profile-bio-input" name="bio" data-model="bio" rows="4">${text(f, "bio")}</textarea>
<p class="error" id="bio-error" role="alert">${errors(f, "bio")}</p>
<label for="profile-links-input">Links (one per line)</label>
<textarea id="profile-links-input" name="links" data-model="links" data-model-on="blur" rows="3">${text(f, "links")}</textarea>
<p class="error" id="links-error" role="alert">${errors(f, "links")}</p>
<label for="avatar-input">Avatar</label>
<input id="avatar-input" name="avatar" type="file" accept="${AVATAR_TYPES.join(",")}" data-upload="avatar" data-model="avatar" data-max-size="${AVATAR_MAX_BYTES}">
<p class="hint" id="avatar-hint">PNG, JPEG, GIF or WebP, up to 2 MB.</p>
<progress id="avatar-progress" data-upload-progress="avatar" max="1" value="0"></progress>
<div class="avatar-preview" id="avatar-preview" data-upload-preview="avatar"></div>
<p class="error" id="avatar-error" role="alert">${errors(f, "avatar")}</p>
<div class="row"><button id="profile-save">Save</button><button type="button" class="secondary" data-action="cancel">Cancel</button>
<span data-loading="save" hidden>Saving…</span><span class="dirty" data-dirty hidden>Unsaved changes</span></div>
</form>`;
}

export function profileView(s: ProfileState, viewer: Viewer<ProfileViewer>): Template {
  const p = s.profile;
  if (!p) return html`<section class="profile"><p class="notice" id="profile-gone">${s.gone ? "This profile no longer exists." : "Loading…"}</p></section>`;
  return html`<section class="profile" data-online="${s.online ? "yes" : "no"}">
<div class="profile-head">${avatar(p)}<div class="who"><h2 id="profile-name">${p.name}</h2>
<p class="presence" id="profile-presence" aria-live="polite">${s.online ? html`<span class="dot"></span>online now` : "offline"}</p>
<p class="joined">Joined <time datetime="${day(p.joinedAt)}">${day(p.joinedAt)}</time></p></div></div>
<p class="bio" id="profile-bio">${p.bio || html`<span class="muted">No bio yet.</span>`}</p>
${p.links.length ? html`<ul class="links" id="profile-links">${p.links.map((l) => html`<li><a href="${l}" rel="nofollow noopener" target="_blank">${host(l)}</a></li>`)}</ul>` : ""}
<div class="profile-edit">${viewer.slot((v, f) => (v.editing ? editForm(f) : html`<button type="button" class="edit-toggle" id="profile-edit" data-action="edit">Edit profile</button>`))}</div>
<h2>Recent articles</h2>
${s.articles.length
  ? html`<ul class="articles" id="profile-articles">${s.articles.map((a) => html`<li>${a.title} <span class="byline"><time datetime="${day(a.publishedAt)}">${day(a.publishedAt)}</time></span></li>`)}</ul>`
  : html`<p class="muted" id="profile-articles">No articles yet.</p>`}
</section>`;
}
