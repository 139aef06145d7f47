import * as v from "valibot";
import { action, Component, submit, type ActionContext, type Viewer } from "stratus/live";
import { Stars } from "./stars";
import { profileView, type Profile, type ProfilesState, type ProfileViewer } from "./views";

/** The Stars children the view shows, by key. */
const RATED = { design: "Design", speed: "Speed" } as const;

type Event = { type: "saved"; profile: Profile } | { type: "pinged"; by: number } | { type: "voted"; topic: string; stars: number };

const TOPICS = ["news", "sport", "science", "art"] as const;
const IMAGES = ["image/png", "image/jpeg", "image/gif", "image/webp"];
const LANGUAGES = ["en", "fr", "de", "ja"] as const;

/**
 * The profile form: each viewer's draft is its own (bound fields, never
 * broadcast), validated while typing; saving it becomes an event every viewer
 * sees in the list. It also shows effects (flash, browser events, navigate,
 * redirect) and feeds the hook on the page.
 */
const profileSchema = v.object({
  name: v.pipe(v.string("Enter your name."), v.trim(), v.minLength(2, "At least 2 characters."), v.maxLength(60, "At most 60 characters.")),
  email: v.pipe(v.string("Enter your email."), v.trim(), v.email("Enter a valid email address.")),
  age: v.nullish(v.pipe(v.number("Age is a number."), v.integer("A whole number."), v.minValue(13, "You must be 13 or older."), v.maxValue(130, "Really?"))),
  birthday: v.nullish(v.pipe(v.string(), v.isoDate("A date, please."))),
  plan: v.picklist(["free", "pro"], "Choose a plan."),
  topics: v.optional(v.array(v.picklist(TOPICS)), []),
  languages: v.optional(v.array(v.picklist(LANGUAGES)), []),
  newsletter: v.optional(v.boolean(), false),
  bio: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(500, "At most 500 characters.")), ""),
  avatar: v.nullish(v.string()),
  photos: v.optional(v.array(v.string()), []),
});

/** Slow on purpose (a fifth of a second or more), so the page's loading states can be seen. */
const slowly = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class Profiles extends Component<Env, ProfilesState, Event, ProfileViewer> {
  initial(): ProfilesState {
    return { profiles: [], pings: 0, votes: {} };
  }

  override initialViewer(): ProfileViewer {
    return { saved: 0 };
  }

  override form = profileSchema;

  override uploads = {
    avatar: { accept: IMAGES, maxBytes: 2_000_000 },
    photos: { accept: IMAGES, maxBytes: 2_000_000 },
  };

  /** An avatar chosen but never saved is swept after this long (FORMS_UPLOAD_TTL_MS shortens it for the browser tests). */
  override options = { uploadTtlMs: Number((this.env as { FORMS_UPLOAD_TTL_MS?: string }).FORMS_UPLOAD_TTL_MS) || 3600_000 };

  apply(s: ProfilesState, e: Event): ProfilesState {
    switch (e.type) {
      case "saved":
        return { ...s, profiles: [...s.profiles, e.profile] };
      case "pinged":
        return { ...s, pings: s.pings + e.by };
      case "voted":
        return { ...s, votes: { ...s.votes, [e.topic]: [...(s.votes?.[e.topic] ?? []), e.stars] } };
    }
  }

  actions = {
    save: submit(profileSchema, async (s: ProfilesState, form, _caller, ctx: ActionContext<ProfileViewer>) => {
      await slowly(400);
      // The avatar was uploaded as temporary: saving keeps it (if this commit fails, the sweep removes it).
      const avatar = form.avatar ? ctx.keepUpload(form.avatar) : null;
      const photos = form.photos.map((id) => ctx.keepUpload(id).name);
      ctx.resetForm();
      ctx.setViewer((viewer) => ({ saved: viewer.saved + 1 }));
      ctx.flash("success", `Saved ${form.name}.`);
      ctx.dispatchBrowserEvent("profile-saved", { count: s.profiles.length + 1 });
      return [{ type: "saved", profile: { id: s.profiles.length + 1, ...form, age: form.age ?? null, birthday: form.birthday ?? null, avatar: avatar ? `${avatar.name} (${avatar.size} bytes, ${avatar.key})` : null, photos } } as const];
    }),
    ping: action(v.object({ by: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(10)) }), (s: ProfilesState, { by }, _caller, ctx: ActionContext<ProfileViewer>) => {
      ctx.dispatchBrowserEvent("pong", { pings: s.pings + by });
      return [{ type: "pinged", by } as const];
    }),
    go: action(v.object({ to: v.pipe(v.string(), v.startsWith("/forms/")) }), (_s: ProfilesState, { to }, _caller, ctx: ActionContext<ProfileViewer>) => {
      ctx.navigate(to);
      return [];
    }),
    leave: action(v.object({ to: v.pipe(v.string(), v.startsWith("/forms/")) }), (_s: ProfilesState, { to }, _caller, ctx: ActionContext<ProfileViewer>) => {
      ctx.redirect(to);
      return [];
    }),
  };

  /** A Stars child voted: the parent decides what that commits. */
  override onChildEvent(key: string, name: string, detail: unknown): Event[] {
    return name === "voted" && key in RATED && typeof detail === "number" ? [{ type: "voted", topic: key, stars: detail }] : [];
  }

  render(s: ProfilesState, viewer: Viewer<ProfileViewer>) {
    const ratings = Object.entries(RATED).map(([key, label]) => this.child(Stars, key, { label, votes: s.votes?.[key] ?? [] }));
    // Links in the view name this instance; its key is the object's name (components are addressed by name).
    return profileView(s, viewer, this.ctx.id.name ?? "main", ratings);
  }
}
