import type { StandardSchemaV1 } from "@standard-schema/spec";
import type { Logger } from "../http/logger";
import { jobCall, type JobDispatcher, type PreparedMessage } from "../queue/dispatcher";
import { isJob, type Job } from "../queue/job";
import type { JobRegistry } from "../queue/registry";
import { BROADCAST_JOB } from "./broadcast-job";
import type { LiveBroadcaster } from "./broadcaster";
import type { Topics } from "./topics";
import type { AppEvents, BroadcastTarget, EventInfo, EventName, Listener, TopicTarget, Wildcard, WildcardListener } from "./types";

/** A queued listener is a job whose payload is the event's payload; it retries like any job. */
export type QueuedListener<P> = Job<StandardSchemaV1<P, unknown>>;

export interface EventDispatchOptions {
  requestId?: string;
  /** A logger already bound to the request (c.log); defaults to the dispatcher's own. */
  log?: Logger;
  /** Live components (or topics: every subscribed instance) to receive this event, beside those the broadcast rules pick. */
  broadcastTo?: Target | readonly Target[];
}

export interface DispatchResult {
  id: string;
  /** Sync listeners that ran, and how many of them threw. */
  ran: number;
  failed: number;
  /** Queued listeners (and queued broadcasts) put on the queue. */
  queued: number;
  /** Direct broadcasts delivered. */
  broadcast: number;
}

export interface BroadcastRuleOptions {
  /** Deliver through the job queue, with its retries, instead of during dispatch. */
  queued?: boolean;
}

type Target = BroadcastTarget | TopicTarget;
type Route<P> = (payload: P) => Target | readonly Target[] | undefined;

type Entry =
  | { kind: "sync"; match: (name: string) => boolean; fn: (payload: unknown, event: EventInfo) => unknown }
  | { kind: "queued"; match: (name: string) => boolean; job: Job };

interface Rule {
  name: string;
  route: Route<unknown>;
  queued: boolean;
}

export interface EventDispatcherDeps {
  log: Logger;
  /** Needed for queued listeners and queued broadcasts. Lazy: resolving it reads the Queue binding. */
  jobs?: () => JobDispatcher;
  /** Where queued listeners are registered as jobs, so consumer isolates know them. */
  registry?: JobRegistry;
  broadcaster?: () => LiveBroadcaster;
  /** Needed for topic targets. Lazy: resolving it reads the TOPICS binding. */
  topics?: () => Topics;
}

/**
 * Typed events. Sync listeners run in registration order, each isolated: one
 * that throws is logged with the request id and the others still run. Queued
 * listeners are jobs (same tries, backoff, failed_jobs). Wildcard listeners
 * match by pattern. Broadcast rules send events to live components.
 */
export class EventDispatcher<M extends object = AppEvents> {
  readonly #entries: Entry[] = [];
  readonly #rules: Rule[] = [];
  readonly #deps: EventDispatcherDeps;

  constructor(deps: EventDispatcherDeps) {
    this.#deps = deps;
  }

  /** Listens to one event (a function runs now, a job runs on the queue) or to a wildcard pattern. Returns an unsubscribe. */
  listen<K extends EventName<M>>(name: K, listener: Listener<M[K], K> | QueuedListener<M[K]>): () => void;
  listen(pattern: Wildcard, listener: WildcardListener<M>): () => void;
  listen(name: string, listener: ((payload: never, event: never) => unknown) | QueuedListener<never> | Job): () => void {
    const match = matcher(name);
    let entry: Entry;
    if (isJob(listener)) {
      if (!this.#deps.registry) throw new Error("Queued listeners need the queue module: add queueModule to the application.");
      this.#deps.registry.register(listener);
      entry = { kind: "queued", match, job: listener };
    } else if (typeof listener === "function") {
      entry = { kind: "sync", match, fn: listener as (payload: unknown, event: EventInfo) => unknown };
    } else {
      throw new TypeError(`A listener for "${name}" must be a function or a job.`);
    }
    this.#entries.push(entry);
    return () => {
      const i = this.#entries.indexOf(entry);
      if (i >= 0) this.#entries.splice(i, 1);
    };
  }

  /**
   * Sends matching events to live components: `events.broadcast("article.published", (a) => ({ component: "news", key: a.section }))`,
   * or to every instance subscribed to a topic: `(a) => ({ topic: \`project.${a.project}\` })`.
   */
  broadcast<K extends EventName<M>>(name: K, route: Route<M[K]>, options: BroadcastRuleOptions = {}): this {
    this.#rules.push({ name, route: route as Route<unknown>, queued: options.queued ?? false });
    return this;
  }

  hasListeners(name: EventName<M>): boolean {
    return this.#entries.some((e) => e.match(name));
  }

  async dispatch<K extends EventName<M>>(name: K, payload: M[K], options: EventDispatchOptions = {}): Promise<DispatchResult> {
    const event = this.#info(name, options);
    const entries = this.#entries.filter((e) => e.match(name));
    const direct: BroadcastTarget[] = [];
    const published: string[] = [];
    const calls = entries.flatMap((e) => (e.kind === "queued" ? [jobCall(e.job, payload, this.#jobOptions(options))] : []));
    const broadcastEvent = { id: event.id, name, payload, at: event.at };
    for (const { target, queued } of this.#targets(name, payload, options)) {
      if (queued) calls.push(jobCall(BROADCAST_JOB, { target, event: broadcastEvent }, this.#jobOptions(options)));
      else if ("topic" in target) published.push(target.topic);
      else direct.push(target);
    }

    // Queued work is validated and sized before anything runs, then made durable first:
    // if the Worker dies during a sync listener, the queued listeners still happen.
    if (calls.length > 0) {
      const jobs = this.#jobs();
      const prepared: PreparedMessage[] = await Promise.all(calls.map((c) => jobs.prepare(c)));
      await jobs.sendPrepared(prepared);
    }

    let failed = 0;
    const sync = entries.filter((e) => e.kind === "sync");
    for (const entry of sync) {
      try {
        await entry.fn(payload, event);
      } catch (err) {
        failed++;
        event.log.error("event listener failed", { listener: entry.fn.name || "(anonymous)", error: err });
      }
    }

    let delivered = 0;
    // A topic goes to its registry once: it logs the event and pushes it to each subscribed instance.
    if (published.length > 0) {
      const topics = this.#topics();
      const directory = this.#broadcaster().directory?.() ?? {};
      const results = await Promise.allSettled(published.map((topic) => topics.publish(topic, broadcastEvent, directory)));
      results.forEach((r, i) => {
        if (r.status === "fulfilled") delivered += r.value.subscribers;
        else event.log.error("broadcast to topic failed", { topic: published[i], error: r.reason });
      });
    }
    if (direct.length > 0) {
      const broadcaster = this.#broadcaster();
      const results = await Promise.allSettled(direct.map((t) => broadcaster.broadcast(t, { id: event.id, name, payload, at: event.at })));
      results.forEach((r, i) => {
        if (r.status === "fulfilled") delivered++;
        else event.log.error("broadcast to live component failed", { target: direct[i], error: r.reason });
      });
    }
    return { id: event.id, ran: sync.length, failed, queued: calls.length, broadcast: delivered };
  }

  /**
   * Asks the sync listeners in order and returns the first answer that is not
   * undefined or null (the others do not run); undefined when nobody answers.
   */
  async until<K extends EventName<M>, R = unknown>(name: K, payload: M[K], options: Omit<EventDispatchOptions, "broadcastTo"> = {}): Promise<R | undefined> {
    const event = this.#info(name, options);
    for (const entry of this.#entries) {
      if (entry.kind !== "sync" || !entry.match(name)) continue;
      try {
        const answer = await entry.fn(payload, event);
        if (answer !== undefined && answer !== null) return answer as R;
      } catch (err) {
        event.log.error("event listener failed", { listener: entry.fn.name || "(anonymous)", error: err });
      }
    }
    return undefined;
  }

  #info(name: string, options: EventDispatchOptions): EventInfo {
    const id = crypto.randomUUID();
    const base = options.log ?? this.#deps.log;
    const log = base.child({ event: name, eventId: id, ...(options.requestId ? { requestId: options.requestId } : {}) });
    return { id, name, at: Date.now(), log, ...(options.requestId ? { requestId: options.requestId } : {}) };
  }

  /**
   * The instances and topics to deliver to, each once (queued if any rule naming it asks for the
   * queue). A topic's registry delivers to its subscribers; an instance reached directly and through
   * a topic applies the event once (receiveBroadcast is idempotent by event id).
   */
  #targets(name: string, payload: unknown, options: EventDispatchOptions): { target: Target; queued: boolean }[] {
    const wanted: { target: Target; queued: boolean }[] = [];
    for (const rule of this.#rules) {
      if (rule.name !== name) continue;
      for (const target of list(rule.route(payload))) wanted.push({ target, queued: rule.queued });
    }
    for (const target of list(options.broadcastTo)) wanted.push({ target, queued: false });
    const out = new Map<string, { target: Target; queued: boolean }>();
    for (const { target, queued } of wanted) {
      const id = "topic" in target ? `topic ${target.topic}` : `${target.component.length}:${target.component}${target.key}`;
      const seen = out.get(id);
      if (seen) seen.queued ||= queued;
      else out.set(id, { target: "topic" in target ? { topic: target.topic } : { component: target.component, key: target.key }, queued });
    }
    return [...out.values()];
  }

  #topics(): Topics {
    if (!this.#deps.topics) throw new Error("Topic broadcasts need the TOPICS binding (class TopicRegistry) and the events module.");
    return this.#deps.topics();
  }

  #jobOptions(options: EventDispatchOptions) {
    return options.requestId ? { requestId: options.requestId } : {};
  }

  #jobs(): JobDispatcher {
    if (!this.#deps.jobs) throw new Error("Queued listeners need the queue module: add queueModule to the application.");
    return this.#deps.jobs();
  }

  #broadcaster(): LiveBroadcaster {
    if (!this.#deps.broadcaster) throw new Error("Broadcasting needs a LiveBroadcaster (LIVE_BROADCASTER).");
    return this.#deps.broadcaster();
  }
}

function list<T>(v: T | readonly T[] | undefined): readonly T[] {
  return v === undefined ? [] : Array.isArray(v) ? (v as readonly T[]) : [v as T];
}

function matcher(pattern: string): (name: string) => boolean {
  if (!pattern.includes("*")) return (name) => name === pattern;
  if (pattern === "*") return () => true;
  const re = new RegExp(`^${pattern.split("*").map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);
  return (name) => re.test(name);
}
