/**
 * The Worker verifies the mount token, then forwards the upgrade with the
 * verified identity in this header. A Durable Object is reachable only through
 * its binding, so only the Worker can set it.
 */
export const CALLER_HEADER = "x-stratus-caller";

export interface VerifiedMount {
  component: string;
  key: string;
  user?: string;
}

export function readVerifiedMount(headers: Headers): VerifiedMount | undefined {
  const raw = headers.get(CALLER_HEADER);
  if (!raw) return undefined;
  try {
    const v = JSON.parse(raw) as Partial<VerifiedMount>;
    if (typeof v.component !== "string" || typeof v.key !== "string") return undefined;
    return { component: v.component, key: v.key, ...(typeof v.user === "string" ? { user: v.user } : {}) };
  } catch {
    return undefined;
  }
}
