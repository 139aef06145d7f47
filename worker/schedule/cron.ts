const FIELDS: readonly (readonly [name: string, min: number, max: number])[] = [
  ["minute", 0, 59],
  ["hour", 0, 23],
  ["day of month", 1, 31],
  ["month", 1, 12],
  ["day of week", 0, 7],
];
const NAMES = /^(JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC|SUN|MON|TUE|WED|THU|FRI|SAT)$/i;

/**
 * Checks a five-field cron expression the way Cron Triggers read it (lists,
 * ranges, steps, names, L, W, #). The runtime does the matching: a task is
 * keyed by its expression, which `controller.cron` echoes back verbatim.
 * Throws with the offending field, so a typo fails at boot, not silently at 3 a.m.
 */
export function assertCron(expression: string): string {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 5) throw new SyntaxError(`Cron "${expression}" must have 5 fields (minute hour day month weekday), has ${parts.length}.`);
  parts.forEach((part, i) => {
    const [name, min, max] = FIELDS[i]!;
    for (const item of part.split(",")) {
      if (!validItem(item, min, max)) throw new SyntaxError(`Cron "${expression}": invalid ${name} field "${part}".`);
    }
  });
  return parts.join(" ");
}

function validItem(item: string, min: number, max: number): boolean {
  const [range, step, extra] = item.split("/");
  if (extra !== undefined || range === undefined || range === "") return false;
  if (step !== undefined && !(/^\d+$/.test(step) && Number(step) > 0)) return false;
  if (range === "*" || range === "?" || /^L$|^LW$|^\d+[LW#]\d*$|^\d+L$/i.test(range)) return true;
  const bounds = range.split("-");
  if (bounds.length > 2) return false;
  return bounds.every((b) => NAMES.test(b) || (/^\d+$/.test(b) && Number(b) >= min && Number(b) <= max));
}
