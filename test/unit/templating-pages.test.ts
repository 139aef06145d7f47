import { describe, expect, it } from "vitest";
import { renderToStream, renderToStringAsync } from "../../worker/templating/async";
import { html, raw, TemplateError, type Template } from "../../worker/templating/html";
import { LayoutManager } from "../../worker/templating/layouts";
import { Partials } from "../../worker/templating/partials";
import { definePage, RenderEngine } from "../../worker/templating/render-engine";
import { view } from "../../worker/templating/view";

function engine(): RenderEngine {
  const partials = new Partials().register("nav", (p: { current: string }) => html`<nav>${["home", "about"].map((n) => html`<a class="${n === p.current ? "on" : ""}" href="/${n}">${n}</a>`)}</nav>`);
  const layouts = new LayoutManager()
    .register("app", ({ title, content, sections, partials }) => html`<!doctype html><html><head><title>${title}</title>${sections.head}</head><body>${partials.render("nav", { current: "home" })}<main>${content}</main></body></html>`)
    .register("admin", ({ content }) => html`<div class="admin">${content}</div>`, { parent: "app" });
  return new RenderEngine({ layouts, partials, defaultLayout: "app" });
}

const deferred = <T>() => {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
};

async function readChunks(stream: ReadableStream<Uint8Array>): Promise<string[]> {
  const chunks: string[] = [];
  const decoder = new TextDecoder();
  for await (const c of stream) chunks.push(decoder.decode(c));
  return chunks;
}

describe("layouts, partials and pages", () => {
  it("puts a page in its layout with title, sections and partials", async () => {
    const out = await engine().render(html`<h1>${"Hi <you>"}</h1>`, { title: "T & co", sections: { head: raw('<meta name="x">') } });
    expect(out).toBe(
      '<!doctype html><html><head><title>T &amp; co</title><meta name="x"></head><body><nav><a class="on" href="/home">home</a><a class="" href="/about">about</a></nav><main><h1>Hi &lt;you&gt;</h1></main></body></html>',
    );
  });

  it("nests a layout inside its parent", async () => {
    const out = await engine().render(html`<p>x</p>`, { layout: "admin", title: "A" });
    expect(out).toContain('<main><div class="admin"><p>x</p></div></main>');
    expect(out.startsWith("<!doctype html>")).toBe(true);
  });

  it("renders bare content with layout: false, and names unknown layouts and partials", async () => {
    expect(await engine().render(html`<p>x</p>`, { layout: false })).toBe("<p>x</p>");
    await expect(engine().render(html`<p>x</p>`, { layout: "nope" })).rejects.toThrow(/Unknown layout "nope". Known: app, admin/);
    expect(() => new Partials().render("footer", {})).toThrow(TemplateError);
    const loop = new LayoutManager().register("a", ({ content }) => html`${content}`, { parent: "b" }).register("b", ({ content }) => html`${content}`, { parent: "a" });
    expect(() => loop.wrap("a", { content: "", title: "", sections: {}, partials: new Partials() })).toThrow(/extends itself/);
  });

  it("lets an application override a partial by name", async () => {
    const e = engine();
    e.partials.register("nav", () => html`<nav>custom</nav>`);
    expect(await e.render(html``, {})).toContain("<nav>custom</nav>");
  });

  it("turns a page into a view with the HTML content type, status and headers", async () => {
    const page = definePage<{ name: string }>({ title: (d) => `Hello ${d.name}`, render: (d) => html`<p>${d.name}</p>` });
    const res = await engine().page(page, { name: "<Ada>" }, { status: 201, headers: { "x-a": "1" } }).toResponse();
    expect(res.status).toBe(201);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(res.headers.get("x-a")).toBe("1");
    const body = await res.text();
    expect(body).toContain("<title>Hello &lt;Ada&gt;</title>");
    expect(body).toContain("<main><p>&lt;Ada&gt;</p></main>");
  });

  it("is what a route handler returns", async () => {
    const res = await view(html`<p>${1 + 1}</p>`).toResponse();
    expect(await res.text()).toBe("<p>2</p>");
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
  });
});

describe("async values and streaming", () => {
  it("awaits promises anywhere in the tree, in document order", async () => {
    const later = (v: unknown, ms: number) => new Promise((r) => setTimeout(() => r(v), ms));
    const t = html`<ul>${[later(html`<li>${later("a<", 5)}</li>`, 10), later(html`<li>b</li>`, 1)]}</ul><a href="${later("javascript:x", 1)}">${later(raw("<i>r</i>"), 1)}</a>`;
    expect(await renderToStringAsync(t)).toBe('<ul><li>a&lt;</li><li>b</li></ul><a href="about:blank#blocked"><i>r</i></a>');
  });

  it("renders a promised template and propagates a rejection", async () => {
    expect(await renderToStringAsync(Promise.resolve(html`<p>${"x"}</p>`))).toBe("<p>x</p>");
    await expect(renderToStringAsync(html`<p>${Promise.reject(new Error("db down"))}</p>`)).rejects.toThrow("db down");
    const res = view(html`<p>${Promise.reject(new Error("db down"))}</p>`).toResponse();
    await expect(res).rejects.toThrow("db down");
  });

  it("streams the layout's head before slow data arrives", async () => {
    const data = deferred<Template>();
    const stream = engine().stream(html`<section>${data.promise}</section>`, { title: "S" });
    const reader = stream.getReader();
    const first = await reader.read();
    const head = new TextDecoder().decode(first.value);
    expect(head).toContain("<title>S</title>");
    expect(head).toContain("<main><section>");
    expect(head).not.toContain("slow");
    data.resolve(html`<p>slow</p>`);
    let rest = "";
    for (let r = await reader.read(); !r.done; r = await reader.read()) rest += new TextDecoder().decode(r.value);
    expect(head + rest).toBe(await engine().render(html`<section>${html`<p>slow</p>`}</section>`, { title: "S" }));
  });

  it("streams as a view with the HTML content type", async () => {
    const res = await engine().view(html`<p>${Promise.resolve("a")}</p>${Promise.resolve("b")}`, { stream: true, layout: false }).toResponse();
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(res.body).toBeInstanceOf(ReadableStream);
    const chunks = await readChunks(res.body!);
    expect(chunks.join("")).toBe("<p>a</p>b");
    expect(chunks.length).toBeGreaterThan(1);
  });

  it("errors the stream when a value fails after the head went out", async () => {
    const chunks: string[] = [];
    const stream = renderToStream(html`<p>ok</p>${Promise.reject(new Error("late"))}`);
    await expect(
      (async () => {
        for await (const c of stream) chunks.push(new TextDecoder().decode(c));
      })(),
    ).rejects.toThrow("late");
    expect(chunks).toEqual(["<p>ok</p>"]);
  });
});
