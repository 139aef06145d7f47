/**
 * Every server process group the e2e tests start is recorded here, by pid,
 * in a directory the global teardown reads: whatever way a run ends (a failed
 * assertion, a thrown setup, no browser, Ctrl-C), the groups are killed and
 * their ports freed for the next run.
 */
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { createHash } from "node:crypto";
import { join } from "node:path";

/** One directory per checkout: a run never touches another checkout's servers. */
export const PID_DIR = join(tmpdir(), `stratus-e2e-pids-${createHash("sha256").update(process.cwd()).digest("hex").slice(0, 12)}`);
const live = new Set<number>();

export function track(pid: number): void {
  mkdirSync(PID_DIR, { recursive: true });
  writeFileSync(join(PID_DIR, String(pid)), "");
  live.add(pid);
}

export function untrack(pid: number): void {
  live.delete(pid);
  rmSync(join(PID_DIR, String(pid)), { force: true });
}

/** Kills a process group (the leader is `npx`; wrangler and workerd are in its group). */
export function killGroup(pid: number, signal: NodeJS.Signals = "SIGKILL"): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/** Groups recorded by this or an earlier run that did not clean up and still run our server (a pid can be reused). */
export function recorded(): number[] {
  let pids: number[];
  try {
    pids = readdirSync(PID_DIR).map(Number).filter((n) => Number.isInteger(n) && n > 0);
  } catch {
    return [];
  }
  return pids.filter((pid) => {
    let cmd = "";
    try {
      cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8");
    } catch {
      // gone, or no /proc: nothing of ours to kill
    }
    if (!cmd.includes("wrangler")) untrack(pid);
    return cmd.includes("wrangler");
  });
}

let hooked = false;
/** In the process that starts servers: kill them on exit and on signals, not just in afterAll. */
export function killOnExit(): void {
  if (hooked) return;
  hooked = true;
  const killAll = () => {
    for (const pid of live) {
      killGroup(pid);
      untrack(pid);
    }
  };
  process.once("exit", killAll);
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(sig, () => {
      killAll();
      process.exit(128 + (sig === "SIGINT" ? 2 : sig === "SIGTERM" ? 15 : 1));
    });
  }
}
