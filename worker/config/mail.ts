import { defineFrameworkConfig as defineConfig } from "../app/config";

export type MailDriver = "send-email" | "log" | "memory";
const DRIVERS: readonly MailDriver[] = ["send-email", "log", "memory"];

export default defineConfig("mail", (env) => {
  const appEnv = env.string("APP_ENV", "production");
  // Development never sends real mail, tests keep it in memory, everything else delivers.
  const fallback: MailDriver = appEnv === "development" ? "log" : appEnv === "test" ? "memory" : "send-email";
  const driver = env.oneOf("MAIL_DRIVER", DRIVERS, fallback);
  return {
    driver,
    from: { name: env.string("MAIL_FROM_NAME", env.string("APP_NAME", "Stratus")), email: env.string("MAIL_FROM_ADDRESS", "no-reply@example.com") },
    /** The `send_email` binding's name in wrangler.toml. */
    binding: env.string("MAIL_BINDING", "SEND_EMAIL"),
    /** Mails the log driver keeps for GET /__stratus/mail. */
    logCapacity: env.int("MAIL_LOG_CAPACITY", 50, { min: 1, max: 1000 }),
  };
});
