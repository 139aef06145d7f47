/**
 * A list whose items carry stable keys, so a diff can express moves, inserts
 * and removals as runs of the old list instead of rewriting every position
 * after the first change (the positional baseline).
 */
export class KeyedList<T = unknown> {
  constructor(
    readonly keys: readonly string[],
    readonly items: readonly T[],
  ) {}
}

/** `${keyed(todos, (t) => t.id, (t) => html`<li>${t.title}</li>`)}` */
export function keyed<I, T>(items: readonly I[], key: (item: I, index: number) => string | number, render: (item: I, index: number) => T): KeyedList<T> {
  const keys: string[] = new Array(items.length);
  const rendered: T[] = new Array(items.length);
  for (let i = 0; i < items.length; i++) {
    keys[i] = String(key(items[i]!, i));
    rendered[i] = render(items[i]!, i);
  }
  return new KeyedList(keys, rendered);
}
