import * as v from "valibot";
import { ApiTokens, auth, defineModule, type RequestContext } from "stratus";
import { html, view } from "stratus/html";
import { CREATED_TOKEN_FLASH, grantableAbilities, TOKEN_MESSAGE_FLASH, tokensSection } from "../auth/tokens-section";

const newToken = v.object({
  name: v.pipe(v.string(), v.trim(), v.minLength(1, "Give the token a name."), v.maxLength(80)),
  abilities: v.pipe(v.array(v.string()), v.minLength(1, "Choose at least one ability.")),
  expires_in_days: v.optional(v.picklist(["", "7", "30", "90", "365"])),
});

const back = () => new Response(null, { status: 303, headers: { location: "/account" } });

async function formFields(c: RequestContext): Promise<Record<string, unknown>> {
  const form = await c.request.formData();
  return { name: form.get("name") ?? "", abilities: form.getAll("abilities").filter((a) => typeof a === "string"), expires_in_days: form.get("expires_in_days") ?? "" };
}

/**
 * Personal access tokens from the account page: create (the plaintext is
 * flashed for the next page only, then exists nowhere) and revoke. Both are
 * session forms: auth() and csrf() guard them. GET /account/tokens shows the
 * same section on a page of its own; /account embeds it.
 */
export const accountTokensModule = defineModule({
  name: "account-tokens",
  routes(router) {
    router.group("/account/tokens", { name: "account.tokens.", middleware: [auth()] }, (r) => {
      r.get("", (c) => view(html`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>API tokens</title></head><body><p><a href="/account">Account</a></p>${tokensSection(c)}</body></html>`), { name: "index" });

      r.post("", async (c) => {
        const fields = await formFields(c);
        const parsed = v.safeParse(newToken, fields);
        const allowed = grantableAbilities(c);
        const problem = !parsed.success
          ? parsed.issues[0].message
          : parsed.output.abilities.find((a) => !allowed.includes(a)) !== undefined
            ? "You cannot give a token an ability you do not have."
            : undefined;
        if (problem !== undefined || !parsed.success) {
          c.session.flashInput({ name: fields.name });
          c.session.flash(TOKEN_MESSAGE_FLASH, problem);
          return back();
        }
        const days = parsed.output.expires_in_days ? Number(parsed.output.expires_in_days) : undefined;
        const { plaintext } = await new ApiTokens(c.env.DB).create({
          userId: c.user!.id,
          name: parsed.output.name,
          abilities: parsed.output.abilities,
          ...(days !== undefined ? { expiresAt: Date.now() + days * 86_400_000 } : {}),
        });
        c.session.flash(CREATED_TOKEN_FLASH, { name: parsed.output.name, plaintext });
        return back();
      }, { name: "store" });

      r.post("/:id/revoke", async (c) => {
        const done = await new ApiTokens(c.env.DB).revoke(c.user!.id, c.params.id);
        c.session.flash(TOKEN_MESSAGE_FLASH, done ? "Token revoked." : "No such live token.");
        return back();
      }, { name: "revoke" });
    });
  },
});
