import * as v from "valibot";
import { action, Component, type Caller } from "stratus/live";
import { gate } from "../../app/auth/gate";
import { notepadView, type NotepadState } from "./view";

type NotepadEvent = { type: "noted"; id: number; text: string; by: string };

/**
 * A user's private notes: one instance per user, keyed by the user's id.
 * Only the owner may write (the app's gate decides, with the user the page's
 * mount token was issued to); each note carries the owner's current name,
 * which the heading shows.
 */
export class Notepad extends Component<Cloudflare.Env, NotepadState, NotepadEvent> {
  initial(): NotepadState {
    return { owner: null, notes: [], nextId: 1 };
  }

  apply(s: NotepadState, e: NotepadEvent): NotepadState {
    return { owner: e.by, notes: [...s.notes, { id: e.id, text: e.text }], nextId: e.id + 1 };
  }

  actions = {
    note: action(v.object({ text: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(500)) }), async (s: NotepadState, { text }, caller) => {
      // authorize() already let only the owner through; the name is read now so the page shows the current one.
      const user = await gate.userOf(caller, this.env);
      return [{ type: "noted", id: s.nextId, text, by: user?.name ?? "" } as const];
    }),
  };

  override async authorize(caller: Caller, action: string): Promise<boolean> {
    const owner = this.ctx.id.name;
    if (owner === undefined || action !== "note") return false;
    return gate.allows(await gate.userOf(caller, this.env), "write", { kind: "notepad", ownerId: owner });
  }

  render(s: NotepadState) {
    return notepadView(s);
  }
}
