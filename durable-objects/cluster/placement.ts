/**
 * Where a relay is created: near the viewer whose connect created it. The
 * hint comes from `request.cf` (none locally, so everything degrades to "no
 * hint"); Cloudflare honours it on first creation only, best effort.
 */

import { rendezvous } from "./rendezvous";

/** Countries Cloudflare's `me` region serves better than `apac` or `eeur`. */
const MIDDLE_EAST = new Set(["AE", "BH", "IL", "IQ", "IR", "JO", "KW", "LB", "OM", "PS", "QA", "SA", "SY", "TR", "YE"]);

/** The subset of `request.cf` placement reads. */
export interface PlacementCf {
  continent?: string;
  country?: string;
  longitude?: string | number;
}

export function locationHintFor(cf: PlacementCf | undefined): DurableObjectLocationHint | undefined {
  if (!cf?.continent) return undefined;
  if (cf.country && MIDDLE_EAST.has(cf.country)) return "me";
  const lon = Number(cf.longitude);
  switch (cf.continent) {
    case "NA":
      // West of the Rockies is closer to wnam's data centres.
      return Number.isFinite(lon) && lon < -100 ? "wnam" : "enam";
    case "SA":
      return "sam";
    case "EU":
      return Number.isFinite(lon) && lon > 20 ? "eeur" : "weur";
    case "AS":
      return "apac";
    case "OC":
      return "oc";
    case "AF":
      return "afr";
    default:
      return undefined;
  }
}

/**
 * The hub a relay hangs under: one of `perRegion` hubs of its region (the relay's own location
 * hint, so a hub is near its relays), picked by rendezvous hashing on the relay's name: a relay
 * keeps its hub for as long as the count does, and growing the count moves about 1/(n+1) of them.
 */
export function hubName(prefix: string, relay: string, hint: DurableObjectLocationHint | undefined, perRegion: number): string {
  return `${prefix}|hub|${hint ?? "any"}|${rendezvous(relay, perRegion)}`;
}
