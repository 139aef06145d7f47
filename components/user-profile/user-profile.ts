import * as v from "valibot";
import { action, ActionError, Component, submit, type ActionContext, type BroadcastEvent, type Caller, type Viewer } from "stratus/live";
import { gate } from "../../app/auth/gate";
import { AVATAR_MAX_BYTES, AVATAR_TYPES, avatarPath, profileForm, profileOf, type ArticleItem, type Profile } from "./profile";
import { ProfileStore } from "./store";
import { profileView, type ProfileState, type ProfileViewer } from "./views";

type Event =
  | { type: "loaded"; profile: Profile; articles: ArticleItem[] }
  | { type: "saved"; profile: Profile }
  | { type: "gone" }
  | { type: "online"; online: boolean };

/** Storage key: connection ids of the owner's sockets (kept across hibernation, cleared when no socket survived). */
const OWNER_TABS = "profile:owner-tabs";
/** What only the Worker may run (RPC): sockets are refused them. */
const INTERNAL = new Set(["load", "presence"]);
/** What the owner (or an admin) may run from a socket. */
const EDITING = new Set(["edit", "cancel", "save"]);
const none = v.object({});
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * One user's live profile (`/users/:id`; the key is the user's id). D1's
 * `users` row is the source of truth: the object shows a copy of it and
 * never holds a profile D1 does not. The owner's save writes through to D1
 * first and commits the row D1 returned; every other write (the API's PATCH)
 * is followed by a `user.updated` broadcast, on which the object re-reads
 * the row; and each page view, and the first socket after a wake, re-read it
 * too, which heals a lost broadcast or a write made while the object was
 * away. Presence: "online now" while any socket of the owner is connected.
 */
export class UserProfile extends Component<Cloudflare.Env, ProfileState, Event, ProfileViewer> {
  #store: ProfileStore | undefined;
  /** Whether this instance has read D1 since it woke: a socket reconnecting after an eviction loads no page, and must still see the row as it is. */
  #read = false;

  constructor(ctx: DurableObjectState, env: Cloudflare.Env) {
    super(ctx, env);
    // Sockets survive hibernation but not eviction: with none left, no tab of the owner is open.
    void ctx.blockConcurrencyWhile(async () => {
      if (ctx.getWebSockets().length === 0) ctx.storage.kv.delete(OWNER_TABS);
    });
  }

  initial(): ProfileState {
    return { profile: null, gone: false, articles: [], online: false };
  }

  override initialViewer(): ProfileViewer {
    return { editing: false };
  }

  override form = profileForm;
  override uploads = { avatar: { accept: AVATAR_TYPES, maxBytes: AVATAR_MAX_BYTES } };

  apply(s: ProfileState, e: Event): ProfileState {
    switch (e.type) {
      case "loaded":
        return { ...s, profile: e.profile, articles: e.articles, gone: false };
      case "saved":
        return { ...s, profile: e.profile, gone: false };
      case "gone":
        return { ...s, profile: null, articles: [], gone: true };
      case "online":
        return { ...s, online: e.online };
    }
  }

  actions = {
    /** Re-reads the row and the recent articles from D1; commits only what changed. */
    load: action(none, () => this.#reload()),
    presence: action(none, (s: ProfileState) => this.#presence(s)),
    edit: action(none, (s: ProfileState, _a, _c, ctx: ActionContext<ProfileViewer>) => {
      const p = s.profile;
      if (!p) throw new ActionError("This profile is not loaded.");
      ctx.resetForm({ name: p.name, bio: p.bio, links: p.links.join("\n") });
      ctx.setViewer({ editing: true });
      return [];
    }),
    cancel: action(none, (_s: ProfileState, _a, _c, ctx: ActionContext<ProfileViewer>) => {
      ctx.resetForm();
      ctx.setViewer({ editing: false });
      return [];
    }),
    save: submit(profileForm, async (s: ProfileState, form, _caller, ctx: ActionContext<ProfileViewer>) => {
      if (!s.profile) throw new ActionError("This profile is not loaded.");
      // Kept with this commit; the avatar route serves it by its upload id (immutable, so cacheable for good).
      const file = form.avatar ? ctx.keepUpload(form.avatar) : undefined;
      const before = await this.#db().user(s.profile.id);
      if (!before) throw new ActionError("This user no longer exists.");
      // Write-through: D1 first. If it fails, nothing is committed here; what D1 returns is what every viewer sees.
      const row = await this.#db().save(s.profile.id, {
        name: form.name,
        bio: form.bio || null,
        links: form.links,
        ...(file ? { avatarKey: file.key, avatarUrl: avatarPath(s.profile.id, file.id) } : {}),
      });
      // The replaced avatar is no longer referenced by the row: delete it after the response.
      if (file && before.avatarKey && before.avatarKey !== file.key) this.ctx.waitUntil(this.env.UPLOADS.delete(before.avatarKey).catch((err) => console.error("old avatar not deleted", err)));
      ctx.resetForm();
      ctx.setViewer({ editing: false });
      ctx.flash("success", "Profile saved.");
      return [{ type: "saved", profile: profileOf(row) } as const];
    }),
  };

  /** The owner or an admin edits (the app gate's user policy, as for PATCH /api/users/:id); internal actions are the Worker's. */
  override async authorize(caller: Caller, name: string): Promise<boolean> {
    if (INTERNAL.has(name)) return caller.via === "rpc";
    if (!EDITING.has(name)) return false;
    const [user, owner] = await Promise.all([gate.userOf(caller, this.env), this.#db().user(this.#owner())]);
    return owner !== undefined && gate.allows(user, "update", owner);
  }

  render(s: ProfileState, viewer: Viewer<ProfileViewer>) {
    return profileView(s, viewer);
  }

  /** What a page calls before rendering: the copy is brought in step with D1. Answers whether the user exists. */
  async refresh(): Promise<boolean> {
    const r = await this.dispatch("load", {});
    if (!r.ok) throw new Error(r.message);
    return this.state.profile !== null;
  }

  /** The component's copy of the profile (tests compare it with the D1 row). */
  profile(): Profile | null {
    return this.state.profile;
  }

  /** How many sockets of the owner are connected now. */
  ownerTabs(): number {
    return (this.ctx.storage.kv.get<string[]>(OWNER_TABS) ?? []).length;
  }

  override async onEvent(event: BroadcastEvent, s: ProfileState): Promise<Event[]> {
    // A profile no page has shown yet has nothing to keep in step: its first page view reads D1.
    if (s.profile === null && !s.gone) return [];
    return event.name === "user.updated" || event.name === "user.deleted" ? this.#reload() : [];
  }

  override async onConnect(caller: Caller): Promise<void> {
    if (!this.#read && this.state.profile !== null) await this.dispatch("load", {});
    if (caller.user !== this.#owner()) return;
    this.#tabs((t) => [...t.filter((id) => id !== caller.id), caller.id]);
    await this.dispatch("presence", {});
  }

  override async onDisconnect(caller: Caller): Promise<void> {
    if (caller.user !== this.#owner()) return;
    this.#tabs((t) => t.filter((id) => id !== caller.id));
    await this.dispatch("presence", {});
  }

  // ---- internals ----

  #owner(): string {
    return this.ctx.id.name ?? "";
  }

  #db(): ProfileStore {
    return (this.#store ??= new ProfileStore(this.env.DB));
  }

  #tabs(change: (tabs: string[]) => string[]): void {
    this.ctx.storage.kv.put(OWNER_TABS, change(this.ctx.storage.kv.get<string[]>(OWNER_TABS) ?? []));
  }

  #presence(s: ProfileState): Event[] {
    const online = this.ownerTabs() > 0;
    return online === s.online ? [] : [{ type: "online", online }];
  }

  async #reload(): Promise<Event[]> {
    const s = this.state;
    const [user, articles] = await Promise.all([this.#db().user(this.#owner()), this.#db().recentArticles(this.#owner())]);
    this.#read = true;
    const events: Event[] = [];
    if (!user) {
      if (!s.gone) events.push({ type: "gone" });
    } else {
      const profile = profileOf(user);
      if (!same(profile, s.profile) || !same(articles, s.articles)) events.push({ type: "loaded", profile, articles });
    }
    return [...events, ...this.#presence(s)];
  }
}
