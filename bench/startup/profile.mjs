// Reading a V8 .cpuprofile as `wrangler check startup` writes it: how long the startup phase ran
// on the CPU (idle samples excluded) and which functions took it.

/** `{ windowMs, activeMs, gcMs, samples, intervalMs, top }`; `top` is self time per function, largest first. */
export function summarise(profile, topN = 5) {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  let window = 0;
  let idle = 0;
  let gc = 0;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    window += delta;
    const frame = nodes.get(id)?.callFrame;
    const name = frame?.functionName || "(anonymous)";
    if (name === "(idle)") idle += delta;
    else if (name === "(garbage collector)") gc += delta;
    const key = frame?.url ? `${name} ${frame.url.split("/").pop()}:${frame.lineNumber + 1}` : name;
    self.set(key, (self.get(key) ?? 0) + delta);
  });
  const ms = (us) => Math.round(us / 10) / 100;
  const top = [...self].filter(([k]) => k !== "(idle)").sort((a, b) => b[1] - a[1]).slice(0, topN).map(([fn, us]) => ({ fn, ms: ms(us) }));
  // The profiler samples coarsely (often 5-40 ms apart on a loaded machine): a startup shorter
  // than one interval shows as 0 or as a whole interval. Medians over many runs are the figure.
  const intervalMs = profile.samples.length ? ms(window / profile.samples.length) : 0;
  return { windowMs: ms(window), activeMs: ms(window - idle), gcMs: ms(gc), samples: profile.samples.length, intervalMs, top };
}
