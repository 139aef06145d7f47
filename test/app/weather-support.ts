import { env, exports } from "cloudflare:workers";
import { runDurableObjectAlarm } from "cloudflare:test";
import { connectLive, type LiveClient } from "stratus/testing";
import { vi } from "vitest";
import type { WeatherState } from "../../components/weather/views";

export const HTML = { accept: "text/html" };

export function page(path: string): Promise<Response> {
  return exports.default.fetch(`http://example.com${path}`, { headers: HTML, redirect: "manual" });
}

/** The stand-in upstream's control endpoints (components/weather/standin.ts). */
export async function standin(path: string, body?: unknown): Promise<unknown> {
  const res = await exports.default.fetch(`http://example.com/__standin/open-meteo${path}`, {
    method: body === undefined ? "GET" : "POST",
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { "content-type": "application/json" } }),
  });
  if (!res.ok) throw new Error(`stand-in ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

type Calls = { search: Record<string, number>; forecast: Record<string, number> };

/** Upstream forecast calls made for a city slug so far. */
export async function forecastCalls(city: string): Promise<number> {
  return ((await standin("/calls")) as Calls).forecast[city.replace(/-/g, " ")] ?? 0;
}

export async function searchCalls(city: string): Promise<number> {
  return ((await standin("/calls")) as Calls).search[city.replace(/-/g, " ")] ?? 0;
}

/** A city no other test uses (the stand-in's counters live as long as the isolate). */
export function freshCity(label: string): string {
  return `${label}-${crypto.randomUUID().slice(0, 8)}`;
}

type WeatherStub = DurableObjectStub & {
  stats(): Promise<{ seq: number; present: number }>;
  stateAt(seq: number): Promise<{ seq: number; state: WeatherState }>;
  currentRender(): Promise<{ seq: number }>;
  watchers(): Promise<number>;
};

export function stub(city: string): WeatherStub {
  return env.WEATHER.getByName(city) as unknown as WeatherStub;
}

export async function stateOf(city: string): Promise<WeatherState> {
  const s = stub(city);
  return (await s.stateAt((await s.stats()).seq)).state;
}

export async function viewer(city: string): Promise<LiveClient> {
  const c = await connectLive(exports.default, "weather", city, { secret: env.APP_KEY });
  await c.hello();
  return c;
}

/** Moves the clock every Date.now() reads (tests, the Worker and its objects share one isolate). */
export function advance(ms: number): void {
  vi.setSystemTime(Date.now() + ms);
}

/**
 * What the object's alarm does one refresh interval later: viewers ping (as the
 * browser runtime does, so the heartbeat keeps them), then the alarm runs. The
 * runtime answers the exact ping text itself and stamps it with the real clock,
 * which the moved clock has left behind; a ping spelled differently reaches the
 * object, which stamps it with the moved clock.
 */
export async function nextInterval(city: string, viewers: LiveClient[], seconds = 600): Promise<void> {
  advance(seconds * 1000 + 1000);
  for (const v of viewers) {
    const pongs = v.of("pong").length;
    v.send('{ "type": "ping" }');
    await v.until((c) => c.of("pong").length > pongs);
  }
  await runDurableObjectAlarm(stub(city));
}

export async function until(pred: () => Promise<boolean>, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await pred()) return;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}
