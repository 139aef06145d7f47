import * as v from "valibot";
import type { InferenceResult } from "stratus/ai";
import { jobCall } from "stratus/queue";
import { action, ActionError, Component, type BroadcastEvent, type Caller, type ScheduledTask } from "stratus/live";
import { gate } from "../../app/auth/gate";
import { newsDesk } from "./desk";
import { newsProjectionJob } from "./projection";
import { storyId, storyInput, type Story } from "./story";
import { tagsFrom } from "./tags";
import { newsView, type NewsState } from "./views";

type Event =
  | { type: "published"; story: NewsStory }
  | { type: "updated"; id: string; seq: number; title: string; body: string; at: number }
  | { type: "retracted"; id: string; seq: number; at: number }
  | { type: "summarised"; id: string; seq: number; summary: string; tags: string[] }
  | { type: "reading"; count: number };

/** A story plus the seq of its last content change (a summary is asked for, and kept, per content). */
export type NewsStory = Story & { contentSeq: number };

/** Stories the object keeps (editable, and the front page's source); older ones live in D1 only. */
export const KEEP = 100;
/** Retractions kept until projected, so a lost projection is sent again. */
const KEEP_RETRACTED = 50;
const PROJECT = "project";
/** The D1 watermark: every story change at or below it has been handed to the queue. */
const PROJECTED_KEY = "news:projected";

const edit = v.object({ id: storyId, ...storyInput.entries });

/**
 * The live front page. The object is the only writer: publish, update and
 * retract are events in its log, and D1's `news_stories` is a projection of
 * them. After each change a durable task (the object's alarm) hands every
 * story changed past the watermark to the `news.project` job and asks the AI
 * for a summary of new content; the job's upsert is guarded by seq, so
 * retries, redeliveries and reorderings converge on the object's state.
 */
export class News extends Component<Cloudflare.Env, NewsState, Event> {
  #renders = 0;
  override options = { snapshotEvery: 50 };

  initial(): NewsState {
    return { stories: [], retracted: [], reading: 0 };
  }

  apply(s: NewsState, e: Event): NewsState {
    switch (e.type) {
      case "published":
        return { ...s, stories: [e.story, ...s.stories].slice(0, KEEP) };
      case "updated":
        return { ...s, stories: s.stories.map((x) => (x.id === e.id ? { ...x, title: e.title, body: e.body, seq: e.seq, contentSeq: e.seq, summary: null, tags: [], updatedAt: e.at } : x)) };
      case "retracted": {
        const gone = s.stories.find((x) => x.id === e.id);
        if (!gone) return s;
        const retracted = { ...gone, status: "retracted" as const, seq: e.seq, updatedAt: e.at };
        return { ...s, stories: s.stories.filter((x) => x.id !== e.id), retracted: [retracted, ...s.retracted].slice(0, KEEP_RETRACTED) };
      }
      case "summarised":
        return { ...s, stories: s.stories.map((x) => (x.id === e.id && x.contentSeq <= e.seq ? { ...x, summary: e.summary, tags: e.tags, seq: e.seq } : x)) };
      case "reading":
        return { ...s, reading: e.count };
    }
  }

  actions = {
    publish: action(storyInput, async (_s: NewsState, a, caller) => {
      const now = Date.now();
      const seq = this.seq + 1;
      const story: NewsStory = { id: crypto.randomUUID(), seq, contentSeq: seq, title: a.title, body: a.body, author: await this.#authorName(caller), status: "published", summary: null, tags: [], publishedAt: now, updatedAt: now };
      await this.#projectSoon();
      return [{ type: "published", story } as const];
    }),
    update: action(edit, async (s: NewsState, a) => {
      this.#editable(s, a.id);
      await this.#projectSoon();
      return [{ type: "updated", id: a.id, seq: this.seq + 1, title: a.title, body: a.body, at: Date.now() } as const];
    }),
    retract: action(v.object({ id: storyId }), async (s: NewsState, a) => {
      this.#editable(s, a.id);
      await this.#projectSoon();
      return [{ type: "retracted", id: a.id, seq: this.seq + 1, at: Date.now() } as const];
    }),
  };

  /** Editors only (the `news:write` ability through the app's gate, for sockets and RPC alike). */
  override async authorize(caller: Caller): Promise<boolean> {
    if (caller.via === "broadcast") return false;
    return gate.allows(await gate.userOf(caller, this.env), "news:write");
  }

  render(s: NewsState) {
    return newsView(s);
  }

  /** A story the object still holds (a page falls back to it before D1 has the row). */
  story(id: string): NewsStory | null {
    return this.state.stories.find((x) => x.id === id) ?? null;
  }

  /** Stories published after `seq` (the digest of what a reader has not seen yet), newest first. */
  since(seq: number): NewsStory[] {
    return this.state.stories.filter((x) => x.contentSeq > seq);
  }

  /** The component seq (a page stamps it as the reader's last-seen point). */
  head(): number {
    return this.seq;
  }

  /** Page renders served by this object since it woke (every one is a root request), and its seq. */
  rootStats(): { renders: number; seq: number; watching: number } {
    return { renders: this.#renders, seq: this.seq, watching: this.watching };
  }

  override currentRender(publish?: boolean): ReturnType<Component["currentRender"]> {
    this.#renders++;
    return super.currentRender(publish);
  }

  /** The watermark of the D1 projection (tests and the dev dashboard read it). */
  projected(): number {
    return this.ctx.storage.kv.get<number>(PROJECTED_KEY) ?? 0;
  }

  override onWatching(total: number, s: NewsState): Event[] {
    return total === s.reading ? [] : [{ type: "reading", count: total }];
  }

  /** A queued summary (`news-summary:<id>:<contentSeq>`): applied to that content only; a failure leaves the story without one. */
  override async onEvent(event: BroadcastEvent, s: NewsState): Promise<Event[]> {
    if (event.name !== "ai.result") return [];
    const result = event.payload as InferenceResult;
    const [, id, at] = /^news-summary:([^:]+):(\d+)$/.exec(result.jobId) ?? [];
    const story = s.stories.find((x) => x.id === id);
    if (!story || story.contentSeq !== Number(at)) return [];
    if (!result.ok) {
      console.warn("news summary failed", { id, error: result.error });
      return [];
    }
    const raw = (result.output as { summary?: unknown; response?: unknown }).summary ?? (result.output as { response?: unknown }).response;
    const summary = typeof raw === "string" ? raw.trim().slice(0, 1000) : "";
    if (!summary) return [];
    await this.#projectSoon();
    return [{ type: "summarised", id: story.id, seq: this.seq + 1, summary, tags: tagsFrom(summary) }];
  }

  /** The outbox: every story changed past the watermark goes to the projection queue, new content to the AI. */
  override async onAlarm(task: ScheduledTask, s: NewsState): Promise<Event[]> {
    if (task.name !== PROJECT) return [];
    const mark = this.projected();
    const changed = [...s.stories, ...s.retracted].filter((x) => x.seq > mark);
    if (changed.length === 0) return [];
    const { jobs, ai } = await newsDesk(this.env);
    await jobs.dispatchBatch(changed.map((x) => jobCall(newsProjectionJob, row(x))));
    for (const x of changed) {
      if (x.status !== "published" || x.contentSeq <= mark) continue;
      await ai.queue("summarize", { input_text: `${x.title}. ${x.body}`.slice(0, 20_000) }, {
        id: `news-summary:${x.id}:${x.contentSeq}`,
        onResult: { kind: "component", component: "news", key: this.ctx.id.name ?? "front" },
      });
    }
    // Sent (at least once): the watermark moves only after the queue took every message.
    this.ctx.storage.kv.put(PROJECTED_KEY, Math.max(...changed.map((x) => x.seq)));
    return [];
  }

  // ---- internals ----

  #editable(s: NewsState, id: string): void {
    if (!s.stories.some((x) => x.id === id)) throw new StoryGoneError(id);
  }

  async #authorName(caller: Caller): Promise<string> {
    const user = await gate.userOf(caller, this.env);
    return user?.name ?? "Newsroom";
  }

  /** One durable task (fixed id) per burst: it runs after the change commits, in the object's lane. */
  async #projectSoon(): Promise<void> {
    await this.schedule(0, PROJECT, null, PROJECT);
  }
}

/** Updating or retracting a story the object no longer holds (retracted, older than KEEP, or unknown). */
export class StoryGoneError extends ActionError {
  constructor(id: string) {
    super(`No live story ${id}: it was retracted, or is older than the last ${KEEP} stories.`);
  }
}

/** A story's D1 row: the projection carries the whole row, so any one job can rebuild it. */
export function row(x: NewsStory): Story {
  return { id: x.id, seq: x.seq, title: x.title, body: x.body, author: x.author, status: x.status, summary: x.summary, tags: x.tags, publishedAt: x.publishedAt, updatedAt: x.updatedAt };
}
