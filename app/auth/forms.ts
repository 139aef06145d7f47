import type { RequestContext } from "stratus";
import { html, type Template } from "stratus/html";
import * as v from "valibot";

/** Fields never flashed back into a form: a failed form does not echo a password. */
const SECRET_FIELDS = new Set(["password", "password_confirmation", "current_password", "_token"]);

export type FieldErrors = Record<string, string>;

const MAX_FLASHED_FIELDS = 8;
const MAX_FLASHED_CHARS = 256;

/** A form post's text fields (files and repeated names beyond the first are ignored). */
export async function readForm(c: RequestContext): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  let data: FormData;
  try {
    data = await c.request.formData();
  } catch {
    return out;
  }
  for (const [key, value] of data) if (typeof value === "string" && !(key in out)) out[key] = value;
  return out;
}

/** Validates a form; on failure the first message per field, keyed by field name. */
export function check<S extends v.GenericSchema>(schema: S, input: Record<string, string>): { ok: true; value: v.InferOutput<S> } | { ok: false; errors: FieldErrors } {
  const result = v.safeParse(schema, input);
  if (result.success) return { ok: true, value: result.output };
  const nested = (v.flatten(result.issues).nested ?? {}) as Record<string, string[] | undefined>;
  const errors: FieldErrors = {};
  for (const [field, messages] of Object.entries(nested)) if (messages && messages[0]) errors[field] = messages[0];
  if (Object.keys(errors).length === 0) errors.form = result.issues[0]?.message ?? "The form is not valid.";
  return { ok: false, errors };
}

export function redirect(location: string): Response {
  return new Response(null, { status: 303, headers: { location, "cache-control": "no-store" } });
}

/** Back to the form: its input (without passwords) and the field messages survive exactly one redirect. */
export function back(c: RequestContext, to: string, input: Record<string, string>, errors: FieldErrors): Response {
  // Bounded, so an oversized submission cannot push the session cookie past its 4 KB limit.
  const kept = Object.entries(input).filter(([k]) => !SECRET_FIELDS.has(k)).slice(0, MAX_FLASHED_FIELDS);
  c.session.flashInput(Object.fromEntries(kept.map(([k, value]) => [k.slice(0, 64), value.slice(0, MAX_FLASHED_CHARS)])));
  c.session.flash("errors", errors);
  return redirect(to);
}

function errorsOf(c: RequestContext): FieldErrors {
  return c.session.get<FieldErrors>("errors") ?? {};
}

/** One labelled input with the previous attempt's value and its message, linked by aria-describedby. */
export function field(c: RequestContext, name: string, label: string, type = "text", autocomplete = "off"): Template {
  const error = errorsOf(c)[name];
  const value = SECRET_FIELDS.has(name) ? "" : String(c.session.old(name, ""));
  return html`<p><label for="${name}">${label}</label>
<input id="${name}" name="${name}" type="${type}" value="${value}" autocomplete="${autocomplete}" aria-invalid="${error ? "true" : "false"}" aria-describedby="${name}-error">
${error ? html`<span class="error" id="${name}-error" role="alert">${error}</span>` : ""}</p>`;
}

/** A form-wide message (wrong credentials), if the last attempt left one. */
export function formError(c: RequestContext): Template | string {
  const error = errorsOf(c).form;
  return error ? html`<p class="error" role="alert">${error}</p>` : "";
}
