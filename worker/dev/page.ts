import { html, raw, type Template } from "../templating/html";
import type { DashboardData, InstanceView } from "./snapshot";

const STYLE = `body{font:14px/1.4 system-ui,sans-serif;margin:1.5rem;color:#222}h2{margin-top:1.5rem;font-size:1.05rem}
table{border-collapse:collapse}td,th{border-bottom:1px solid #ddd;padding:.2rem .6rem;text-align:left;vertical-align:top}
code,pre{font:12px ui-monospace,monospace}pre{margin:0;white-space:pre-wrap}.error{color:#b00}.warn{color:#a60}.muted{color:#777}`;

// STYLE and REFRESH are constants of this file, never request data: raw() is safe for them.

/** How often the open page fetches a fresh body, in ms. */
export const REFRESH_MS = 2000;

/**
 * Live by polling: every REFRESH_MS the page fetches `?fragment=1` (the body alone) and swaps it
 * in. Instance stats come from each object's `stats()` RPC, which a push channel would have to
 * poll too; a fetch of the whole body is the simplest thing that is never stale by more than that.
 */
const REFRESH = `setInterval(async()=>{try{const r=await fetch(location.pathname+"?fragment=1",{headers:{accept:"text/html"}});if(r.ok)document.getElementById("stratus-dashboard").innerHTML=await r.text()}catch{}},${REFRESH_MS})`;

function instanceRow(i: InstanceView): Template {
  if ("error" in i.stats) {
    return html`<tr data-instance="${i.component}/${i.key}"><td><code>${i.key}</code></td><td colspan="4" class="error">${i.stats.error}</td></tr>`;
  }
  const s = i.stats;
  return html`<tr data-instance="${i.component}/${i.key}"><td><code>${i.key}</code></td><td data-seq>${s.seq}</td><td data-events>${s.events}</td><td data-sockets>${s.sockets} (${s.present} ready)</td><td>${s.snapshots.length ? `at seq ${s.snapshots.at(-1)}` : "none"}</td></tr>`;
}

export function dashboardBody(d: DashboardData): Template {
  const jobs = d.failedJobs;
  return html`<h1>Stratus <span class="muted">${d.env}</span></h1>
<p class="muted">Refreshes every ${REFRESH_MS / 1000} s. Global middleware: ${d.middleware.join(" → ") || "none"}.</p>
<h2>Routes (${d.routes.length})</h2>
<table><tr><th>method</th><th>path</th><th>name</th><th>middleware</th></tr>
${d.routes.map((r) => html`<tr><td>${r.method}</td><td><code>${r.path}</code></td><td>${r.name ?? ""}</td><td>${r.middleware.join(", ")}</td></tr>`)}</table>
<h2>Components</h2>
${d.components.map((c) => html`<h3><code>${c.name}</code></h3>${c.instances.length === 0
    ? html`<p class="muted">No instance connected yet in this isolate.</p>`
    : html`<table><tr><th>key</th><th>seq</th><th>events</th><th>sockets</th><th>last snapshot</th></tr>${c.instances.map(instanceRow)}</table>`}`)}
<h2>Failed jobs</h2>
${"error" in jobs
    ? html`<p class="muted">${jobs.error}</p>`
    : jobs.length === 0
      ? html`<p class="muted">None.</p>`
      : html`<table><tr><th>id</th><th>job</th><th>queue</th><th>reason</th><th>attempts</th><th>failed at</th><th>error</th></tr>
${jobs.map((j) => html`<tr data-failed-job="${j.id}"><td><code>${j.id}</code></td><td>${j.job}</td><td>${j.queue}</td><td>${j.reason}</td><td>${j.attempts}</td><td>${j.failedAt}</td><td><pre>${j.error.slice(0, 400)}</pre></td></tr>`)}</table>`}
<h2>Recent log lines</h2>
${d.logs.length === 0 ? html`<p class="muted">None yet.</p>` : html`<pre>${d.logs.map((l) => html`<span class="${l.level}">${l.line}</span>\n`)}</pre>`}`;
}

export function dashboardPage(d: DashboardData): Template {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Stratus dashboard</title><style>${raw(STYLE)}</style></head>
<body><main id="stratus-dashboard">${dashboardBody(d)}</main><script>${raw(REFRESH)}</script></body></html>`;
}
