// Streaming overheads, each against a baseline run side by side:
//  1. SSE normalisation (worker/ai/normalise.ts) vs piping the model's bytes through untouched.
//  2. Coalesced updates (worker/ai/coalesce.ts) vs one update per token: updates sent for a
//     realistic token stream (tokens ~8 ms apart, like a fast model), with a 50 ms window.
import { build } from "esbuild";
import { mkdirSync, writeFileSync } from "node:fs";

mkdirSync("bench-results", { recursive: true });
const out = "bench-results/.ai-stream.bundle.mjs";
await build({
  stdin: { contents: 'export { normaliseSse } from "./worker/ai/normalise.ts"; export { CoalescingTokenBuffer } from "./worker/ai/coalesce.ts";', resolveDir: process.cwd(), loader: "ts" },
  bundle: true, format: "esm", platform: "neutral", outfile: out, logLevel: "error",
});
const { normaliseSse, CoalescingTokenBuffer } = await import(`${process.cwd()}/${out}`);

const enc = new TextEncoder();
const TOKENS = 2000;
const payload = [];
for (let i = 0; i < TOKENS; i++) payload.push(enc.encode(`data: ${JSON.stringify({ response: ` tok${i}`, p: "abcdefgh" })}\n\n`));
payload.push(enc.encode('data: {"response":"","usage":{"prompt_tokens":10,"completion_tokens":2000,"total_tokens":2010}}\n\ndata: [DONE]\n\n'));

function upstream() {
  let i = 0;
  return new ReadableStream({ pull(c) { if (i < payload.length) c.enqueue(payload[i++]); else c.close(); } });
}
async function drain(stream) {
  const r = stream.getReader();
  let bytes = 0;
  for (;;) { const { done, value } = await r.read(); if (done) return bytes; bytes += value.byteLength; }
}
const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
async function once(fn) {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

// Interleaved rounds (baseline, then candidate) and medians: the machine is shared and noisy.
const ROUNDS = 60;
const raw = [];
const norm = [];
const normalised = () => drain(normaliseSse(upstream(), { idleMs: 10_000, requestId: "b", providerRequestId: null }));
for (let i = 0; i < 5; i++) { await drain(upstream()); await normalised(); }
for (let i = 0; i < ROUNDS; i++) {
  raw.push(await once(() => drain(upstream())));
  norm.push(await once(normalised));
}
const rawMs = median(raw);
const normMs = median(norm);

// Virtual clock: tokens 8 ms apart for 2000 tokens (16 s of generation).
let now = 0;
const timers = [];
const clock = {
  now: () => now,
  setTimeout: (fn, ms) => { const t = { at: now + ms, fn }; timers.push(t); return t; },
  clearTimeout: (t) => { const i = timers.indexOf(t); if (i >= 0) timers.splice(i, 1); },
};
let coalesced = 0;
const buf = new CoalescingTokenBuffer({ flushMs: 50, clock, onUpdate: () => { coalesced++; } });
for (let i = 0; i < TOKENS; i++) {
  buf.push(` tok${i}`);
  now += 8;
  for (const t of timers.filter((x) => x.at <= now)) { timers.splice(timers.indexOf(t), 1); t.fn(); }
}
await buf.close();
const perToken = TOKENS;

const results = {
  tokens: TOKENS,
  normalise: { baselineMsPerStream: +rawMs.toFixed(3), normalisedMsPerStream: +normMs.toFixed(3), ratio: +(normMs / rawMs).toFixed(2), usPerToken: +((normMs * 1000) / TOKENS).toFixed(2) },
  coalesce: { flushMs: 50, tokenGapMs: 8, baselineUpdates: perToken, coalescedUpdates: coalesced, ratio: +(coalesced / perToken).toFixed(4) },
};
console.log(`SSE normalisation, ${TOKENS} tokens: passthrough ${rawMs.toFixed(2)} ms, normalised ${normMs.toFixed(2)} ms per stream (ratio ${results.normalise.ratio}x, ${results.normalise.usPerToken} µs/token)`);
console.log(`Coalescing, ${TOKENS} tokens 8 ms apart, 50 ms window: ${perToken} updates per-token vs ${coalesced} coalesced (ratio ${results.coalesce.ratio})`);
writeFileSync("bench-results/ai-stream.json", JSON.stringify(results, null, 2));
