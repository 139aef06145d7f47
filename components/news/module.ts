import { and, eq } from "drizzle-orm";
import * as v from "valibot";
import { auth, BadRequestError, can, csrfField, defineModule, NotFoundError, type RequestContext } from "stratus";
import { AI } from "stratus/ai";
import { DATABASE, Repository, type Database } from "stratus/db";
import { jobs } from "stratus/queue";
import { COMPONENT_REGISTRY, COMPONENTS, html, type Template } from "stratus/html";
import { appEngine } from "../../app/layout";
import { newsStories } from "../../app/db/schema/news-stories";
import type { News } from "./news";
import { newsProjectionJob } from "./projection";
import { storyId, storyInput, type Story } from "./story";
import { storySummary } from "./views";

/** The one front page (the component's key). */
export const FRONT_KEY = "front";
const SEEN_COOKIE = "news_seen";
const ARCHIVE_PAGE = 20;

type NewsStub = Rpc.DurableObjectBranded & Pick<News, "dispatch" | "story" | "since" | "head" | "rootStats">;
const desk = (c: RequestContext) => c.resolve(COMPONENT_REGISTRY).stub("news", FRONT_KEY) as unknown as NewsStub;

class StoryRepository extends Repository<typeof newsStories> {
  constructor(db: Database) {
    super(db, newsStories, { entity: "story", defaultOrder: { column: "publishedAt", direction: "desc" }, pageSize: ARCHIVE_PAGE });
  }
}

const when = (ms: number | Date) => new Date(ms).toISOString().slice(0, 16).replace("T", " ");

function storyForm(action: string, button: string, values: { title?: string; body?: string } = {}, error?: string, c?: RequestContext): Template {
  return html`<form class="story-form" method="post" action="${action}">${c ? csrfField(c) : ""}
<label for="title">Title</label><input id="title" name="title" value="${values.title ?? ""}" required maxlength="140">
<label for="body">Story</label><textarea id="body" name="body" rows="6" required maxlength="20000">${values.body ?? ""}</textarea>
${error ? html`<p class="error" role="alert">${error}</p>` : ""}<div class="row"><button>${button}</button></div></form>`;
}

async function formFields(c: RequestContext): Promise<{ title: string; body: string }> {
  const form = await c.request.formData();
  const get = (k: string) => (typeof form.get(k) === "string" ? (form.get(k) as string) : "");
  return { title: get("title"), body: get("body") };
}

const isEditor = (c: RequestContext) => (c.user ? c.identity.can("news:write") : Promise.resolve(false));

function seenCookie(seq: number): string {
  return `${SEEN_COOKIE}=${seq}; Path=/news; Max-Age=31536000; SameSite=Lax; HttpOnly`;
}

function lastSeen(c: RequestContext): number | null {
  const m = new RegExp(`(?:^|;\\s*)${SEEN_COOKIE}=(\\d+)`).exec(c.request.headers.get("cookie") ?? "");
  return m ? Number(m[1]) : null;
}

async function front(c: RequestContext, form?: { values: { title: string; body: string }; error: string }) {
  const [live, editor] = await Promise.all([c.resolve(COMPONENTS).live("news", FRONT_KEY, { attrs: { class: "news-mount" } }), isEditor(c)]);
  // The seq of the render this reader sees (cached or not): a page view asks the root nothing else.
  const head = Number(/data-live-seq="(\d+)"/.exec(live.value)?.[1] ?? 0);
  const seen = lastSeen(c);
  const digest = seen !== null && seen < head ? html`<p class="digest-link"><a href="/news/digest?since=${seen}">What's new since I last visited?</a></p>` : "";
  const res = await (await appEngine.view(
    html`${digest}${live}${editor ? html`<h2>Publish a story</h2>${storyForm("/news", "Publish", form?.values, form?.error, c)}` : ""}<p class="more"><a href="/news/archive">Archive</a></p>`,
    { title: "News", status: form ? 422 : 200 },
  )).toResponse();
  // The front page remembers where this reader was, so the next visit can ask what changed since.
  if (!form) res.headers.append("set-cookie", seenCookie(head));
  return res;
}

async function publish(c: RequestContext) {
  const fields = await formFields(c);
  const parsed = v.safeParse(storyInput, fields);
  if (!parsed.success) return front(c, { values: fields, error: parsed.issues[0].message });
  const r = await desk(c).dispatch("publish", parsed.output, { user: c.user!.id });
  if (!r.ok) return front(c, { values: fields, error: r.message });
  return new Response(null, { status: 303, headers: { location: "/news" } });
}

async function findStory(c: RequestContext, id: string): Promise<Story | null> {
  const [row] = await c.resolve(DATABASE).select().from(newsStories).where(eq(newsStories.id, id)).limit(1);
  const live = await desk(c).story(id);
  // The object is the writer: until the projection lands (or for a newer change) its copy wins.
  if (live && (!row || live.seq >= row.seq)) return live;
  return row ? { ...row, publishedAt: row.publishedAt.getTime(), updatedAt: row.updatedAt.getTime() } : null;
}

async function show(c: RequestContext<{ id: string }>, form?: { values: { title: string; body: string }; error: string }) {
  const id = v.safeParse(storyId, c.params.id);
  const story = id.success ? await findStory(c, id.output) : null;
  if (!story) throw new NotFoundError(`No story ${c.params.id.slice(0, 60)}.`);
  if (story.status === "retracted") return appEngine.view(html`<p class="notice">This story was retracted.</p><p class="more"><a href="/news">Front page</a></p>`, { title: "Retracted", status: 410 });
  const editor = await isEditor(c);
  const tools = editor
    ? html`<h2>Edit</h2>${storyForm(`/news/${story.id}`, "Update", form?.values ?? story, form?.error, c)}<form method="post" action="/news/${story.id}/retract">${csrfField(c)}<button class="danger">Retract</button></form>`
    : "";
  return appEngine.view(
    html`<article class="story-page"><p class="byline">${story.author} · ${when(story.publishedAt)}</p>${storySummary(story)}${story.body.split(/\n{2,}/).map((p) => html`<p>${p}</p>`)}</article>${tools}<p class="more"><a href="/news">Front page</a> · <a href="/news/archive">Archive</a></p>`,
    { title: story.title, status: form ? 422 : 200 },
  );
}

async function update(c: RequestContext<{ id: string }>) {
  const fields = await formFields(c);
  const parsed = v.safeParse(storyInput, fields);
  if (!parsed.success) return show(c, { values: fields, error: parsed.issues[0].message });
  const r = await desk(c).dispatch("update", { id: c.params.id, ...parsed.output }, { user: c.user!.id });
  if (!r.ok) return show(c, { values: fields, error: r.message });
  return new Response(null, { status: 303, headers: { location: `/news/${c.params.id}` } });
}

async function retract(c: RequestContext<{ id: string }>) {
  const r = await desk(c).dispatch("retract", { id: c.params.id }, { user: c.user!.id });
  if (!r.ok) throw new NotFoundError(r.message);
  return new Response(null, { status: 303, headers: { location: "/news" } });
}

async function archive(c: RequestContext) {
  const page = await new StoryRepository(c.resolve(DATABASE)).paginate({ cursor: c.query.get("cursor"), where: and(eq(newsStories.status, "published")) });
  return appEngine.view(
    html`${page.items.length
      ? html`<ol class="archive">${page.items.map((s) => html`<li><a href="/news/${s.id}">${s.title}</a> <span class="byline">${s.author} · ${when(s.publishedAt)}</span></li>`)}</ol>`
      : html`<p class="notice">No stories.</p>`}<p class="more">${page.nextCursor ? html`<a rel="next" href="/news/archive?cursor=${encodeURIComponent(page.nextCursor)}">Older stories</a> · ` : ""}<a href="/news">Front page</a></p>`,
    { title: "Archive" },
  );
}

/** A streamed digest (chunked HTML) of the stories after the reader's last-seen seq. */
async function digest(c: RequestContext) {
  const since = Number(c.query.get("since") ?? lastSeen(c) ?? 0);
  if (!Number.isInteger(since) || since < 0) throw new BadRequestError("since must be a non-negative story seq.");
  const stub = desk(c);
  const [stories, head] = await Promise.all([stub.since(since), stub.head()]);
  const shell = await (await (await appEngine.view(html`<div class="digest" id="digest">@@DIGEST@@</div><p class="more"><a href="/news">Front page</a></p>`, { title: "What's new" })).toResponse()).text();
  const [before, after] = shell.split("@@DIGEST@@") as [string, string];
  const enc = new TextEncoder();
  const esc = (t: string) => t.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
  const ai = c.resolve(AI);
  const body = new ReadableStream<Uint8Array>({
    async start(ctrl) {
      ctrl.enqueue(enc.encode(before));
      if (stories.length === 0) ctrl.enqueue(enc.encode("<p>Nothing new since your last visit.</p>"));
      else {
        ctrl.enqueue(enc.encode(`<p class="count">${stories.length} new ${stories.length === 1 ? "story" : "stories"}.</p><p class="answer">`));
        try {
          const list = stories.map((s) => `- ${s.title}: ${(s.summary ?? s.body).slice(0, 400)}`).join("\n");
          const answer = await ai.stream("chat", { prompt: `In a few friendly sentences, tell a returning reader what is new on the front page:\n${list}` });
          for await (const chunk of answer.chunks()) ctrl.enqueue(enc.encode(esc(chunk.token)));
        } catch (err) {
          c.log.warn("news digest failed", { error: err });
          ctrl.enqueue(enc.encode(`</p><p class="error">The digest is not available right now; here are the titles.</p><p>`));
          ctrl.enqueue(enc.encode(stories.map((s) => esc(s.title)).join("<br>")));
        }
        ctrl.enqueue(enc.encode("</p>"));
      }
      ctrl.enqueue(enc.encode(after));
      ctrl.close();
    },
  });
  return new Response(body, { headers: { "content-type": "text/html; charset=utf-8", "set-cookie": seenCookie(head) } });
}

/** /news (the live front page), its archive, story pages, editor forms and the AI digest. */
export const newsModule = defineModule({
  name: "news",
  providers: [jobs(newsProjectionJob)],
  routes(router) {
    router.get("/news", (c) => front(c), { name: "news.index" });
    router.post("/news", publish, { name: "news.publish", middleware: [auth(), can("news:write")] });
    router.get("/news/archive", archive, { name: "news.archive" });
    router.get("/news/digest", digest, { name: "news.digest" });
    // How often the root rendered for a page (the render cache's effect; `npm run bench -- news` reads it).
    router.get("/news/stats.json", async (c) => desk(c).rootStats(), { name: "news.stats" });
    router.get("/news/:id", (c) => show(c), { name: "news.show" });
    router.post("/news/:id", update, { name: "news.update", middleware: [auth(), can("news:write")] });
    router.post("/news/:id/retract", retract, { name: "news.retract", middleware: [auth(), can("news:write")] });
  },
});
