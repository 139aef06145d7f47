import type { LogLevel } from "../http/logger";

export interface LogLine {
  level: LogLevel;
  line: string;
}

/** The last `limit` log lines, for the dashboard: a ring buffer the Logger's sink feeds in development. */
export class RecentLogs {
  readonly #limit: number;
  readonly #lines: LogLine[] = [];
  #next = 0;

  constructor(limit = 100) {
    this.#limit = limit;
  }

  push(line: string, level: LogLevel): void {
    if (this.#lines.length < this.#limit) this.#lines.push({ level, line });
    else this.#lines[this.#next] = { level, line };
    this.#next = (this.#next + 1) % this.#limit;
  }

  /** Newest first. */
  list(): LogLine[] {
    const oldestFirst = this.#lines.length < this.#limit ? this.#lines : [...this.#lines.slice(this.#next), ...this.#lines.slice(0, this.#next)];
    return [...oldestFirst].reverse();
  }

  /** A sink that writes through to `sink` and keeps a copy here. */
  tee(sink: (line: string, level: LogLevel) => void): (line: string, level: LogLevel) => void {
    return (line, level) => {
      this.push(line, level);
      sink(line, level);
    };
  }
}

export const recentLogs = new RecentLogs();
