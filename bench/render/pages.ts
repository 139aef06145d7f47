/**
 * One realistic page (layout, nav, a 100-item list with nested partials)
 * written four ways: Stratus html, hono/html, hono/jsx and preact with
 * preact-render-to-string. Bundled by index.mjs with esbuild.
 */
import { html as shtml, renderToString as sRender, type Template } from "../../worker/templating/html";
import { renderTree } from "../../worker/templating/rendered";
import { html as hhtml } from "hono/html";
import { jsx as hjsx } from "hono/jsx";
import { h as ph } from "preact";
import { renderToString as pRender } from "preact-render-to-string";

export interface Item {
  id: number;
  title: string;
  url: string;
  author: string;
  score: number;
  tags: string[];
}
export interface PageData {
  title: string;
  user: string;
  nav: { href: string; label: string }[];
  items: Item[];
}

export function makeData(): PageData {
  const items: Item[] = [];
  for (let i = 0; i < 100; i++) {
    items.push({
      id: i,
      title: i % 10 === 0 ? `Show HN: <Tool> & "friends" #${i}` : `Article number ${i} about edge computing`,
      url: `https://example.com/articles/${i}?ref=home&page=1`,
      author: `user${i % 17}`,
      score: (i * 37) % 500,
      tags: ["workers", i % 2 ? "durable-objects" : "d1", `t${i % 5}`],
    });
  }
  return {
    title: "Front page",
    user: "ada",
    nav: ["/", "/new", "/ask", "/show", "/jobs"].map((href, i) => ({ href, label: ["Home", "New", "Ask", "Show", "Jobs"][i]! })),
    items,
  };
}

// ---- Stratus
const sTag = (t: string) => shtml`<li class="tag">${t}</li>`;
const sAuthor = (a: string, score: number) => shtml`<span class="by">by <a href="/u/${a}">${a}</a> · ${score} points</span>`;
const sItem = (it: Item) =>
  shtml`<article class="item" id="item-${it.id}"><h2><a href="${it.url}">${it.title}</a></h2>${sAuthor(it.author, it.score)}<ul class="tags">${it.tags.map(sTag)}</ul></article>`;
const sNav = (d: PageData) => shtml`<nav>${d.nav.map((n) => shtml`<a href="${n.href}">${n.label}</a>`)}<span class="user">${d.user}</span></nav>`;
const sLayout = (d: PageData, content: Template) =>
  shtml`<html><head><meta charset="utf-8"><title>${d.title}</title><link rel="stylesheet" href="/app.css"></head><body>${sNav(d)}<main>${content}</main><footer><p>Stratus</p></footer></body></html>`;
export const stratus = (d: PageData) => sRender(sLayout(d, shtml`<h1>${d.title}</h1><section class="list">${d.items.map(sItem)}</section>`));
export const stratusTree = (d: PageData) => renderTree(sLayout(d, shtml`<h1>${d.title}</h1><section class="list">${d.items.map(sItem)}</section>`));

// ---- hono/html
type H = ReturnType<typeof hhtml>;
const hTag = (t: string) => hhtml`<li class="tag">${t}</li>`;
const hAuthor = (a: string, score: number) => hhtml`<span class="by">by <a href="/u/${a}">${a}</a> · ${score} points</span>`;
const hItem = (it: Item) =>
  hhtml`<article class="item" id="item-${it.id}"><h2><a href="${it.url}">${it.title}</a></h2>${hAuthor(it.author, it.score)}<ul class="tags">${it.tags.map(hTag)}</ul></article>`;
const hNav = (d: PageData) => hhtml`<nav>${d.nav.map((n) => hhtml`<a href="${n.href}">${n.label}</a>`)}<span class="user">${d.user}</span></nav>`;
const hLayout = (d: PageData, content: H) =>
  hhtml`<html><head><meta charset="utf-8"><title>${d.title}</title><link rel="stylesheet" href="/app.css"></head><body>${hNav(d)}<main>${content}</main><footer><p>Stratus</p></footer></body></html>`;
export const honoHtml = (d: PageData) => String(hLayout(d, hhtml`<h1>${d.title}</h1><section class="list">${d.items.map(hItem)}</section>`));

// ---- hono/jsx and preact, same element tree through each library's createElement
type CE = (tag: string, props: Record<string, unknown> | null, ...children: unknown[]) => unknown;
function tree(h: CE, d: PageData): unknown {
  const item = (it: Item) =>
    h("article", { class: "item", id: `item-${it.id}` },
      h("h2", null, h("a", { href: it.url }, it.title)),
      h("span", { class: "by" }, "by ", h("a", { href: `/u/${it.author}` }, it.author), ` · ${it.score} points`),
      h("ul", { class: "tags" }, ...it.tags.map((t) => h("li", { class: "tag" }, t))));
  return h("html", null,
    h("head", null, h("meta", { charset: "utf-8" }), h("title", null, d.title), h("link", { rel: "stylesheet", href: "/app.css" })),
    h("body", null,
      h("nav", null, ...d.nav.map((n) => h("a", { href: n.href }, n.label)), h("span", { class: "user" }, d.user)),
      h("main", null, h("h1", null, d.title), h("section", { class: "list" }, ...d.items.map(item))),
      h("footer", null, h("p", null, "Stratus"))));
}
export const honoJsx = (d: PageData) => String(tree(hjsx as unknown as CE, d));
export const preact = (d: PageData) => pRender(tree(ph as unknown as CE, d) as Parameters<typeof pRender>[0]);
