/**
 * Code the runtime loads on demand: `client/chunks/<name>.ts`, built beside
 * this runtime as `/stratus/<name>.js`, registers itself in
 * `window.StratusChunks`. Pages that never upload or navigate never fetch it.
 */
import type { Connection } from "./connection";

export interface Chunks {
  upload: {
    /** Files were chosen: check, preview, upload; a bound input then syncs the ids. */
    start(input: HTMLInputElement, conn: Connection): void;
    /** Waits for the form's uploads and puts their ids in the args. */
    args(form: HTMLFormElement, args: Record<string, unknown>): Promise<void>;
  };
  navigate: { go(url: string): Promise<void>; pop(state: { stratus: string }): void };
}

declare global {
  interface Window {
    StratusChunks?: Partial<Chunks>;
  }
}

const base = (document.currentScript as HTMLScriptElement | null)?.src ?? location.href;
const loading = new Map<string, Promise<unknown>>();

export function chunk<K extends keyof Chunks>(name: K): Promise<Chunks[K]> {
  let p = loading.get(name) as Promise<Chunks[K]> | undefined;
  if (!p) {
    p = new Promise<Chunks[K]>((resolve, reject) => {
      const s = document.createElement("script");
      s.src = new URL(`${name}.js`, base).href;
      s.onload = () => {
        const got = window.StratusChunks?.[name];
        got ? resolve(got as Chunks[K]) : reject(new Error(`${name}.js did not register`));
      };
      // A failed load may be retried by the next use.
      s.onerror = () => (loading.delete(name), reject(new Error(`${s.src} did not load`)));
      document.head.append(s);
    });
    loading.set(name, p);
  }
  return p;
}

/** Registers a chunk (called by the chunk itself). */
export function register<K extends keyof Chunks>(name: K, value: Chunks[K]): void {
  (window.StratusChunks ??= {})[name] = value;
}
