// CPU time of processes from /proc (Linux): on a machine shared with other work, the CPU a side
// spends per operation holds still where its wall-clock rate does not.
import { existsSync, readdirSync, readFileSync } from "node:fs";

/** User + system CPU time of a process in microseconds (Linux), or undefined elsewhere. */
export function cpuMicros(pid) {
  const file = `/proc/${pid}/stat`;
  if (!existsSync(file)) return undefined;
  const fields = readFileSync(file, "utf8").split(") ")[1].split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / 100; // clock ticks; USER_HZ is 100 on Linux
}

/** Pids of this process's children running `command` (as /proc/<pid>/comm names it); empty off Linux. */
export function childPids(command) {
  if (!existsSync("/proc")) return [];
  const out = [];
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const ppid = readFileSync(`/proc/${d}/stat`, "utf8").split(") ")[1].split(" ")[1];
      if (Number(ppid) === process.pid && readFileSync(`/proc/${d}/comm`, "utf8").trim() === command) out.push(Number(d));
    } catch {
      // Gone between the listing and the read.
    }
  }
  return out;
}
