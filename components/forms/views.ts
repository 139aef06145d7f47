import { html, keyed, type Template } from "stratus/html";
import type { Viewer } from "stratus/live";

export interface Profile {
  id: number;
  name: string;
  email: string;
  age: number | null;
  birthday: string | null;
  plan: "free" | "pro";
  topics: string[];
  languages: string[];
  newsletter: boolean;
  bio: string;
  avatar: string | null;
  photos?: string[];
}

/** Shared by every viewer: the saved profiles and the hook's ping count. */
export interface ProfilesState {
  profiles: Profile[];
  pings: number;
  /** Stars votes by child key. */
  votes: Record<string, number[]>;
}

/** One viewer's own state (its draft is its bound form). */
export interface ProfileViewer {
  saved: number;
}

const TOPICS = ["news", "sport", "science", "art"];
const LANGUAGES: [string, string][] = [
  ["en", "English"],
  ["fr", "French"],
  ["de", "German"],
  ["ja", "Japanese"],
];

const listOf = (v: unknown) => (Array.isArray(v) ? (v as unknown[]) : []);

const item = (p: Profile) =>
  html`<li data-id="${p.id}"><strong>${p.name}</strong> &lt;${p.email}&gt; ${p.plan}${p.topics.length ? html` · ${p.topics.join(", ")}` : null}${p.bio ? html` · <em>${p.bio}</em>` : null}${p.avatar ? html` · avatar ${p.avatar}` : null}${p.photos?.length ? html` · photos ${p.photos.join(", ")}` : null}</li>`;

/**
 * The form binds every field to the viewer (`data-model`); `value` and
 * `checked` come from the viewer's form, so a reload or reconnect shows the
 * draft again, and errors render beside their fields.
 */
export function profileView(s: ProfilesState, viewer: Viewer<ProfileViewer>, key: string, ratings: Template[]): Template {
  const topic = (t: string) =>
    html`<label class="inline"><input type="checkbox" name="topics" value="${t}" data-model="topics" ?checked=${viewer.slot((_v, f) => listOf(f.field("topics")).includes(t))}> ${t}</label>`;
  const plan = (p: string) =>
    html`<label class="inline"><input type="radio" name="plan" value="${p}" data-model="plan" ?checked=${viewer.slot((_v, f) => f.field("plan") === p)}> ${p}</label>`;
  const language = ([code, label]: [string, string]) => html`<option value="${code}" ?selected=${viewer.slot((_v, f) => listOf(f.field("languages")).includes(code))}>${label}</option>`;
  return html`<div class="profiles">
<form id="profile" data-action="save" data-validate novalidate>
<label for="name">Name (checked as you type)</label>
<input id="name" name="name" data-model="name" value="${viewer.field("name")}" autocomplete="off">
<div class="error" id="name-error">${viewer.errors("name")}</div>
<label for="email">Email (checked when you leave the field)</label>
<input id="email" name="email" type="email" data-model="email" data-model-on="blur" value="${viewer.field("email")}" autocomplete="off">
<div class="error" id="email-error">${viewer.errors("email")}</div>
<label for="age">Age (a number, 300 ms debounce)</label>
<input id="age" name="age" type="number" data-model="age" data-debounce="300" value="${viewer.field("age")}">
<div class="error" id="age-error">${viewer.errors("age")}</div>
<label for="birthday">Birthday (on change)</label>
<input id="birthday" name="birthday" type="date" data-model="birthday" data-model-on="change" value="${viewer.field("birthday")}">
<fieldset id="plan"><legend>Plan</legend>${["free", "pro"].map(plan)}</fieldset>
<div class="error" id="plan-error">${viewer.errors("plan")}</div>
<fieldset id="topics"><legend>Topics</legend>${TOPICS.map(topic)}</fieldset>
<label for="languages">Languages</label>
<select id="languages" name="languages" multiple data-model="languages">${LANGUAGES.map(language)}</select>
<label for="bio">About you (sent with the save, not before)</label>
<textarea id="bio" name="bio" data-model="bio" data-model-on="lazy" rows="2">${viewer.field("bio")}</textarea>
<label class="inline"><input id="newsletter" type="checkbox" name="newsletter" data-model="newsletter" ?checked=${viewer.slot((_v, f) => f.field("newsletter") === true)}> Newsletter</label>
<label for="avatar">Avatar (an image up to 2 MB)</label>
<input id="avatar" name="avatar" type="file" accept="image/*" data-upload="avatar" data-model="avatar" data-max-size="2000000">
<progress id="avatar-progress" data-upload-progress="avatar" max="1" value="0"></progress>
<div id="avatar-preview" data-upload-preview="avatar"></div>
<div class="error" id="avatar-error">${viewer.errors("avatar")}</div>
<label for="photos">Photos (several images, sent with the save)</label>
<input id="photos" name="photos" type="file" accept="image/*" multiple data-upload="photos" data-max-size="2000000">
<span id="photos-progress" data-upload-progress="photos">0%</span>
<div id="photos-preview" data-upload-preview="photos"></div>
<p><button id="save">Save</button> <span id="saving" data-loading="save" hidden>Saving…</span> <span id="unsaved" data-dirty hidden>Unsaved changes</span></p>
</form>
<p>You saved <output id="saved">${viewer.slot((v) => v.saved)}</output> profile(s) from this page.</p>
<h2>Saved profiles</h2>
<ul id="profiles">${keyed(s.profiles, (p) => p.id, item)}</ul>
<h2>Child components (inside this object)</h2>
<div id="ratings">${ratings}</div>
<h2>A hook</h2>
<section id="pings" data-hook="Pings" data-pings="${s.pings}"><p>Pings: <output id="ping-count">${s.pings}</output> <span id="pinging" data-loading="#pings" hidden>pinging…</span></p><div class="hook-area" data-ignore></div></section>
<p><button id="go" data-action="go" data-to="/forms/${key}/pages/one">navigate() to page one</button> <button id="leave" data-action="leave" data-to="/forms/${key}/pages/two">redirect() to page two</button> <span data-loading="go,leave" hidden id="moving">Moving…</span></p>
</div>`;
}
