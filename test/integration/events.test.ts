import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import type { Application } from "../../worker/app/application";
import { DurableObjectBroadcaster, UnknownComponentError } from "../../worker/events/broadcaster";
import { EventDispatcher } from "../../worker/events/dispatcher";
import { EVENTS } from "../../worker/events/tokens";
import { Logger } from "../../worker/http/logger";
import { defineJob } from "../../worker/queue/job";
import { JOB_REGISTRY, JOBS } from "../../worker/queue/tokens";
import { eventually, registerJobs } from "../support/jobs";

interface ShopEvents {
  "order.placed": { orderId: string; total: number };
  "order.shipped": { orderId: string };
  "user.deleted": { userId: string };
  "article.published": { section: string; title: string };
  "price.quote": { sku: string };
}

const queuedRuns: unknown[] = [];
const sendReceipt = defineJob({
  name: "events.sendReceipt",
  schema: z.object({ orderId: z.string(), total: z.number() }),
  handle(payload, ctx) {
    queuedRuns.push({ ...payload, attempt: ctx.attempt });
  },
});
const alwaysFails = defineJob({
  name: "events.alwaysFails",
  schema: z.object({ orderId: z.string(), total: z.number().max(10) }),
  tries: 2,
  backoff: [0],
  handle() {
    throw new Error("queued listener broke");
  },
});

let app: Application;
beforeAll(async () => {
  app = await registerJobs({});
});

function capture() {
  const lines: Record<string, unknown>[] = [];
  const log = new Logger("debug", { app: "test" }, (line) => lines.push(JSON.parse(line) as Record<string, unknown>));
  return { lines, log };
}

function dispatcher(log = capture().log) {
  return new EventDispatcher<ShopEvents>({
    log,
    registry: app.resolve(JOB_REGISTRY),
    jobs: () => app.resolve(JOBS),
    broadcaster: () => new DurableObjectBroadcaster(env, { news: "TEST_LIVE" }),
  });
}

describe("EventDispatcher", () => {
  it("runs sync listeners in order with the payload and the event", async () => {
    const events = dispatcher();
    const calls: string[] = [];
    events.listen("order.placed", (p, e) => void calls.push(`first:${p.orderId}:${e.name}:${e.requestId}`));
    events.listen("order.placed", async (p) => {
      await new Promise((r) => setTimeout(r, 5));
      calls.push(`second:${p.total}`);
    });
    events.listen("order.shipped", () => void calls.push("other event"));
    const result = await events.dispatch("order.placed", { orderId: "o1", total: 12 }, { requestId: "req-1" });
    expect(calls).toEqual(["first:o1:order.placed:req-1", "second:12"]);
    expect(result).toMatchObject({ ran: 2, failed: 0, queued: 0, broadcast: 0 });
    expect(result.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("keeps going when a listener throws, and logs its error with the request id", async () => {
    const { lines, log } = capture();
    const events = dispatcher(log);
    const calls: number[] = [];
    events.listen("order.placed", () => void calls.push(1));
    events.listen("order.placed", function explodes() {
      throw new Error("listener exploded");
    });
    events.listen("order.placed", () => void calls.push(3));
    const result = await events.dispatch("order.placed", { orderId: "o2", total: 1 }, { requestId: "req-42" });
    expect(calls).toEqual([1, 3]);
    expect(result).toMatchObject({ ran: 3, failed: 1 });
    const entry = lines.find((l) => l.msg === "event listener failed");
    expect(entry).toMatchObject({ level: "error", requestId: "req-42", event: "order.placed", listener: "explodes", error: { message: "listener exploded" } });
  });

  it("calls wildcard listeners for matching names only", async () => {
    const events = dispatcher();
    const all: string[] = [];
    const orders: string[] = [];
    const deletions: string[] = [];
    events.listen("*", (_p, e) => void all.push(e.name));
    events.listen("order.*", (_p, e) => void orders.push(e.name));
    events.listen("*.deleted", (_p, e) => void deletions.push(e.name));
    await events.dispatch("order.placed", { orderId: "o3", total: 2 });
    await events.dispatch("order.shipped", { orderId: "o3" });
    await events.dispatch("user.deleted", { userId: "u1" });
    expect(all).toEqual(["order.placed", "order.shipped", "user.deleted"]);
    expect(orders).toEqual(["order.placed", "order.shipped"]);
    expect(deletions).toEqual(["user.deleted"]);
    expect(events.hasListeners("price.quote")).toBe(true);
  });

  it("until returns the first answer and stops asking", async () => {
    const { lines, log } = capture();
    const events = dispatcher(log);
    const asked: string[] = [];
    events.listen("price.quote", () => void asked.push("silent"));
    events.listen("price.quote", () => {
      asked.push("broken");
      throw new Error("no price");
    });
    events.listen("price.quote", (p) => {
      asked.push("answers");
      return { sku: p.sku, price: 9.5 };
    });
    events.listen("price.quote", () => {
      asked.push("too late");
      return { price: 1 };
    });
    const answer = await events.until<"price.quote", { sku: string; price: number }>("price.quote", { sku: "A1" }, { requestId: "req-q" });
    expect(answer).toEqual({ sku: "A1", price: 9.5 });
    expect(asked).toEqual(["silent", "broken", "answers"]);
    expect(lines.some((l) => l.msg === "event listener failed" && l.requestId === "req-q")).toBe(true);
    expect(await dispatcher().until("price.quote", { sku: "none" })).toBeUndefined();
  });

  it("unsubscribes a listener", async () => {
    const events = dispatcher();
    let n = 0;
    const off = events.listen("order.shipped", () => void n++);
    await events.dispatch("order.shipped", { orderId: "a" });
    off();
    await events.dispatch("order.shipped", { orderId: "b" });
    expect(n).toBe(1);
  });

  it("runs queued listeners as jobs through the queue", async () => {
    const events = dispatcher();
    events.listen("order.placed", sendReceipt);
    const result = await events.dispatch("order.placed", { orderId: "q1", total: 30 });
    expect(result.queued).toBe(1);
    expect(app.resolve(JOB_REGISTRY).has(sendReceipt.name)).toBe(true);
    expect(await eventually(() => queuedRuns.find((r) => (r as { orderId: string }).orderId === "q1"))).toEqual({ orderId: "q1", total: 30, attempt: 1 });
  });

  it("gives queued listeners the job retry rules: retried, then failed_jobs", async () => {
    const events = dispatcher();
    events.listen("order.placed", alwaysFails);
    await events.dispatch("order.placed", { orderId: "q2", total: 5 });
    const row = await eventually(() =>
      env.DB.prepare("SELECT attempts, reason FROM failed_jobs WHERE job = ? AND payload LIKE '%q2%'").bind(alwaysFails.name).first<{ attempts: number; reason: string }>().then((r) => r ?? undefined),
    10_000);
    expect(row).toEqual({ attempts: 2, reason: "exhausted" });
  });

  it("refuses the whole dispatch, before any listener runs, when a queued listener's payload is invalid", async () => {
    const events = dispatcher();
    let ran = false;
    events.listen("order.placed", () => void (ran = true));
    events.listen("order.placed", alwaysFails);
    await expect(events.dispatch("order.placed", { orderId: "q3", total: 999 })).rejects.toThrow(/failed its schema/);
    expect(ran).toBe(false);
  });

  it("broadcasts marked events to the live component's Durable Object", async () => {
    const events = dispatcher();
    events.broadcast("article.published", (a) => ({ component: "news", key: a.section }));
    const result = await events.dispatch("article.published", { section: "sport", title: "Final" });
    expect(result.broadcast).toBe(1);
    const received = await env.TEST_LIVE.getByName("sport").received();
    expect(received).toEqual([{ id: result.id, name: "article.published", payload: { section: "sport", title: "Final" }, at: expect.any(Number) }]);
    expect(await env.TEST_LIVE.getByName("other").received()).toEqual([]);
  });

  it("broadcasts to targets given at dispatch, and logs an unknown component without failing the dispatch", async () => {
    const { lines, log } = capture();
    const events = dispatcher(log);
    let listened = false;
    events.listen("order.shipped", () => void (listened = true));
    const result = await events.dispatch("order.shipped", { orderId: "s1" }, {
      requestId: "req-b",
      broadcastTo: [{ component: "news", key: "orders" }, { component: "missing", key: "x" }],
    });
    expect(listened).toBe(true);
    expect(result.broadcast).toBe(1);
    expect((await env.TEST_LIVE.getByName("orders").received()).map((e) => e.name)).toEqual(["order.shipped"]);
    const failure = lines.find((l) => l.msg === "broadcast to live component failed");
    expect(failure).toMatchObject({ requestId: "req-b", target: { component: "missing", key: "x" } });
    await expect(new DurableObjectBroadcaster(env, {}).broadcast({ component: "x", key: "y" }, { id: "1", name: "n", payload: null, at: 0 })).rejects.toBeInstanceOf(UnknownComponentError);
    await expect(new DurableObjectBroadcaster(env, { x: "CACHE" }).broadcast({ component: "x", key: "y" }, { id: "1", name: "n", payload: null, at: 0 })).rejects.toThrow(/not a Durable Object namespace/);
  });

  it("delivers queued broadcasts through the job queue", async () => {
    // The application's broadcaster reads config/components.ts; point "news" at the fixture.
    app.config.components.registry.news = "TEST_LIVE";
    const events = dispatcher();
    events.broadcast("article.published", (a) => ({ component: "news", key: a.section }), { queued: true });
    const result = await events.dispatch("article.published", { section: "queued-news", title: "Later" });
    expect(result).toMatchObject({ queued: 1, broadcast: 0 });
    const received = await eventually(async () => {
      const list = await env.TEST_LIVE.getByName("queued-news").received();
      return list.length > 0 ? list : undefined;
    });
    expect(received[0]).toMatchObject({ id: result.id, name: "article.published", payload: { title: "Later" } });
  });

  it("is bound in the application as EVENTS", async () => {
    const events = app.resolve(EVENTS);
    let got: unknown;
    events.listen("app.ping", (p) => void (got = p));
    await events.dispatch("app.ping", { ok: 1 });
    expect(got).toEqual({ ok: 1 });
  });

  it("types payloads by the event map", async () => {
    const events = dispatcher();
    // @ts-expect-error total must be a number
    const bad = { orderId: "x", total: "12" } satisfies ShopEvents["order.placed"];
    // @ts-expect-error unknown event name
    events.listen("order.unknown", () => {});
    expect(bad.total).toBe("12");
  });
});
