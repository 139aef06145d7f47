import type { RequestContext } from "stratus";
import type { Template } from "stratus/html";

/**
 * The /account page's API tokens slot. auth-api's personal access tokens
 * render here; until that lands it is empty.
 */
export function tokensSection(_c: RequestContext): Template | string {
  return "";
}
