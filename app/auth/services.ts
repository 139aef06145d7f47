import { authDatabase, SingleUseTokens, type RequestContext } from "stratus";
import { USERS } from "../db/tokens";
import type { User } from "../db/schema";
import { sendVerification } from "./mails";

export function singleUseTokens(c: RequestContext): SingleUseTokens {
  return new SingleUseTokens(authDatabase(c));
}

/** Issues an email-verification token for the user and queues the mail with its link. */
export async function mailVerification(c: RequestContext, user: Pick<User, "id" | "name" | "email">): Promise<void> {
  const token = await singleUseTokens(c).issue("email-verify", user.id, c.config.login.tokens.verifyMinutes * 60_000);
  await sendVerification(c, { name: user.name, email: user.email }, token);
}

export function users(c: RequestContext) {
  return c.resolve(USERS);
}
