/** An event as stored: its `type` plus whatever fields that version of the type had. */
export type StoredShape = { type: string } & Record<string, unknown>;

/**
 * Migrates one event type from version `from` to `from + 1` when read.
 * Registering an upcaster from version N makes N + 1 the version new events
 * of that type are written with, so old rows and new rows never mix shapes.
 */
export interface Upcaster {
  readonly type: string;
  readonly from: number;
  up(event: StoredShape): StoredShape;
}

export function upcaster(type: string, from: number, up: (event: StoredShape) => StoredShape): Upcaster {
  if (!Number.isInteger(from) || from < 1) throw new RangeError(`Upcaster for "${type}" must start at a version >= 1, got ${from}.`);
  return { type, from, up };
}

/** The registered upcasters of one component, indexed by (type, version). */
export class Upcasters {
  readonly #byKey = new Map<string, Upcaster>();
  readonly #current = new Map<string, number>();

  constructor(list: readonly Upcaster[] = []) {
    for (const u of list) {
      const key = `${u.type}@${u.from}`;
      if (this.#byKey.has(key)) throw new Error(`Two upcasters migrate "${u.type}" from version ${u.from}.`);
      this.#byKey.set(key, u);
      this.#current.set(u.type, Math.max(this.#current.get(u.type) ?? 1, u.from + 1));
    }
  }

  /** The version new events of this type are written with. */
  versionOf(type: string): number {
    return this.#current.get(type) ?? 1;
  }

  /** Runs the chain of upcasters from the stored version up to the current one. */
  upcast(event: StoredShape, version: number): StoredShape {
    let e = event;
    let v = version;
    for (;;) {
      const u = this.#byKey.get(`${e.type}@${v}`);
      if (!u) return e;
      e = u.up(e);
      v++;
    }
  }
}
