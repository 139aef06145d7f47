import { describe, expect, it } from "vitest";
import { escapeHtml, sanitizeUrl } from "../../worker/templating/escape";
import { html, raw, renderToString, TemplateError, type Template } from "../../worker/templating/html";
import { renderTree, toHtml } from "../../worker/templating/rendered";

/** Classic vectors (OWASP filter evasion cheat sheet, html5sec) for every slot context. */
const VECTORS = [
  "<script>alert(1)</script>",
  '"><script>alert(1)</script>',
  "'><img src=x onerror=alert(1)>",
  '" onmouseover="alert(1)',
  "' onfocus='alert(1)' autofocus '",
  "x onerror=alert(1)",
  "`onmouseover=alert(1)`",
  "<svg onload=alert(1)>",
  "<svg><script>alert(1)</script></svg>",
  "</textarea><script>alert(1)</script>",
  "</title><script>alert(1)</script>",
  "<!--<script>alert(1)</script>-->",
  "--><script>alert(1)</script>",
  '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
  "<img src=1 href=1 onerror=\"javascript:alert(1)\"></img>",
  "<a href=\"javascript:alert(1)\">x</a>",
  "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
  "&lt;script&gt;alert(1)&lt;/script&gt;",
  "&#60;script&#62;alert(1)&#60;/script&#62;",
  "javascript:alert(1)",
  "JaVaScRiPt:alert(1)",
  " javascript:alert(1)",
  "java\tscript:alert(1)",
  "java\nscript:alert(1)",
  "java\u0000script:alert(1)",
  "\u0001javascript:alert(1)",
  "&#106;avascript:alert(1)",
  "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
  "DATA:text/html,<script>alert(1)</script>",
  "vbscript:msgbox(1)",
  "livescript:alert(1)",
  "{{constructor.constructor('alert(1)')()}}",
  "\u2028\u2029<script>alert(1)</script>",
];

const DANGEROUS_SCHEME = /^(?:javascript|vbscript|data|livescript):/i;

/** Decodes the entities our escaper produces, as a browser does for attribute values and text. */
function decode(s: string): string {
  return s.replace(/&(#\d+|#x[0-9a-f]+|amp|lt|gt|quot);/gi, (_m, e: string) => {
    if (e[0] === "#") return String.fromCodePoint(e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    return { amp: "&", lt: "<", gt: ">", quot: '"' }[e.toLowerCase()]!;
  });
}

interface Parsed {
  tags: string[];
  attrs: [string, string, string][];
  text: string;
}

/** Parses with workerd's real HTML tokenizer (HTMLRewriter, lol-html). */
async function parse(markup: string): Promise<Parsed> {
  const out: Parsed = { tags: [], attrs: [], text: "" };
  const rewriter = new HTMLRewriter().on("*", {
    element(el) {
      out.tags.push(el.tagName);
      for (const [name, value] of el.attributes) out.attrs.push([el.tagName, name!, value!]);
    },
    text(t) {
      out.text += t.text;
    },
  });
  await rewriter.transform(new Response(markup)).text();
  return out;
}

const contexts: { name: string; render: (v: string) => Template; tags: string[]; attr?: string; url?: boolean }[] = [
  { name: "text", render: (v) => html`<p>${v}</p>`, tags: ["p"] },
  { name: "textarea", render: (v) => html`<textarea>${v}</textarea>`, tags: ["textarea"] },
  { name: "title", render: (v) => html`<title>${v}</title>`, tags: ["title"] },
  { name: "double-quoted attribute", render: (v) => html`<div title="${v}"></div>`, tags: ["div"], attr: "title" },
  { name: "single-quoted attribute", render: (v) => html`<div title='${v}'></div>`, tags: ["div"], attr: "title" },
  { name: "unquoted attribute", render: (v) => html`<div title=${v}></div>`, tags: ["div"], attr: "title" },
  { name: "href", render: (v) => html`<a href="${v}">x</a>`, tags: ["a"], attr: "href", url: true },
  { name: "unquoted href", render: (v) => html`<a href=${v}>x</a>`, tags: ["a"], attr: "href", url: true },
  { name: "img src", render: (v) => html`<img src="${v}">`, tags: ["img"], attr: "src", url: true },
  { name: "form action", render: (v) => html`<form action="${v}"></form>`, tags: ["form"], attr: "action", url: true },
  { name: "button formaction", render: (v) => html`<button formaction='${v}'>go</button>`, tags: ["button"], attr: "formaction", url: true },
];

describe("escaping: a corpus of XSS vectors in every context", () => {
  for (const ctx of contexts) {
    it(`keeps the markup's structure in ${ctx.name}`, async () => {
      for (const vector of VECTORS) {
        const out = renderToString(ctx.render(vector));
        const parsed = await parse(out);
        expect(parsed.tags, `${ctx.name}: ${JSON.stringify(vector)} -> ${out}`).toEqual(ctx.tags);
        expect(parsed.attrs.filter(([, n]) => n.startsWith("on")), out).toEqual([]);
        if (ctx.attr) {
          const values = parsed.attrs.filter(([, n]) => n === ctx.attr).map(([, , v]) => decode(v));
          expect(values, out).toHaveLength(1);
          if (ctx.url) {
            // eslint-disable-next-line no-control-regex
            const probe = values[0]!.replace(/[\u0000-\u0020\u007f-\u009f]/g, "");
            expect(DANGEROUS_SCHEME.test(probe), out).toBe(false);
            if (!DANGEROUS_SCHEME.test(vector.replace(/[\u0000-\u0020]/g, ""))) expect(values[0]).toBe(vector);
          } else {
            expect(values[0], out).toBe(vector);
          }
        } else {
          expect(decode(parsed.text), out).toBe(vector);
        }
        // The statics/dynamics tree escapes exactly like the string renderer.
        const tree = renderTree(ctx.render(vector));
        expect(toHtml(tree.root, tree.statics)).toBe(out);
      }
    });
  }

  it("neutralises dangerous URL schemes and keeps ordinary URLs", () => {
    for (const bad of ["javascript:alert(1)", " JAVASCRIPT:x", "java\tscript:x", "vbscript:x", "data:text/html,x", "\u0000javascript:x", "livescript:x"]) {
      expect(sanitizeUrl(bad)).toBe("about:blank#blocked");
    }
    for (const ok of ["https://example.com/?a=1&b=2", "http://x", "/path", "./rel", "#frag", "?q=1", "mailto:a@b.c", "tel:+1", "page.html", "a/b:c"]) {
      expect(sanitizeUrl(ok)).toBe(ok);
    }
  });

  it("escapes every character that can end a text run or a quoted value", () => {
    expect(escapeHtml(`<>&"'\``)).toBe("&lt;&gt;&amp;&quot;&#39;&#96;");
    expect(escapeHtml("plain")).toBe("plain");
  });

  it("refuses dynamic values where no escaping is safe", () => {
    expect(() => renderToString(html`<button onclick="${"alert(1)"}">x</button>`)).toThrow(TemplateError);
    expect(() => renderToString(html`<script>var x = ${"1"};</script>`)).toThrow(TemplateError);
    expect(() => renderToString(html`<style>${"a{}"}</style>`)).toThrow(TemplateError);
    expect(() => renderToString(html`<div ${"onclick=alert(1)"}></div>`)).toThrow(TemplateError);
    expect(() => renderToString(html`<a href="${html`<b>x</b>`}">x</a>`)).toThrow(TemplateError);
  });

  it("inserts raw() markup untouched, and only raw() markup", () => {
    expect(renderToString(html`<div>${raw("<b>trusted</b>")}</div>`)).toBe("<div><b>trusted</b></div>");
    expect(renderToString(html`<div>${"<b>untrusted</b>"}</div>`)).toBe("<div>&lt;b&gt;untrusted&lt;/b&gt;</div>");
    expect(renderToString(html`<script>${raw("window.x = 1")}</script>`)).toBe("<script>window.x = 1</script>");
  });

  it("renders nested templates, arrays and conditionals", () => {
    const items = ["a", "<b>"];
    const t = html`<ul>${items.map((i) => html`<li>${i}</li>`)}</ul>${false}${null}${undefined}${true && html`<p>yes</p>`}${0}`;
    expect(renderToString(t)).toBe("<ul><li>a</li><li>&lt;b&gt;</li></ul><p>yes</p>0");
  });

  it("rejects values it cannot render, naming their type", () => {
    expect(() => renderToString(html`<p>${{ a: 1 }}</p>`)).toThrow(/Object/);
    expect(() => renderToString(html`<p>${Promise.resolve("x")}</p>`)).toThrow(/async/);
  });
});
