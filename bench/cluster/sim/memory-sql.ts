/**
 * The statements RelayLinks runs against its object's SQLite, kept in a
 * Map, so the simulation drives the real RelayLinks (batching, one call in
 * flight per relay, detach after failures) outside workerd. A root "evicted"
 * in the simulation builds a new RelayLinks over the same store, as a woken
 * object reads its table again.
 */
export class MemoryRelayTable {
  readonly rows = new Map<string, { jurisdiction: string | null; binding: string | null }>();

  exec(query: string, ...args: unknown[]): Iterable<Record<string, unknown>> & { toArray(): Record<string, unknown>[] } {
    const q = query.trim().split(/\s+/)[0]!.toUpperCase();
    let out: Record<string, unknown>[] = [];
    if (q === "INSERT") this.rows.set(args[0] as string, { jurisdiction: (args[1] as string | null) ?? null, binding: (args[2] as string | null) ?? null });
    else if (q === "DELETE") this.rows.delete(args[0] as string);
    else if (q === "SELECT") out = [...this.rows].map(([name, r]) => ({ name, ...r }));
    else if (q === "PRAGMA") out = ["name", "jurisdiction", "binding"].map((name) => ({ name }));
    else if (q !== "CREATE") throw new Error(`MemoryRelayTable: unexpected statement ${query}`);
    return Object.assign(out, { toArray: () => out });
  }
}
