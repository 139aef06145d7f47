/**
 * The epoch names this object's event log: seqs are comparable only within one epoch. It lives in the
 * same SQLite as the log, so a reset (deleteAll) drops both and the next boot makes a new one.
 */
export function logEpoch(sql: SqlStorage): string {
  sql.exec("CREATE TABLE IF NOT EXISTS _stratus_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
  const found = sql.exec<{ value: string }>("SELECT value FROM _stratus_meta WHERE key = 'epoch'").toArray()[0]?.value;
  if (found !== undefined) return found;
  const epoch = crypto.randomUUID().replaceAll("-", "").slice(0, 16);
  sql.exec("INSERT INTO _stratus_meta (key, value) VALUES ('epoch', ?)", epoch);
  return epoch;
}
