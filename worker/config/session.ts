import { defineFrameworkConfig as defineConfig } from "../app/config";

export type SessionDriver = "cookie" | "d1";
const DRIVERS: readonly SessionDriver[] = ["cookie", "d1"];

export default defineConfig("session", (env) => {
  const driver = env.oneOf("SESSION_DRIVER", DRIVERS, "cookie");
  return {
    /** cookie: the whole session, sealed, in the cookie. d1: only the id in the cookie, the data in D1 (revocable). */
    driver,
    cookie: env.string("SESSION_COOKIE", "stratus_session"),
    /** Minutes of inactivity after which a session has expired (sliding). */
    idleMinutes: env.int("SESSION_LIFETIME", 120, { min: 1 }),
    /** Minutes after its creation at which a session expires however active it is. */
    absoluteMinutes: env.int("SESSION_ABSOLUTE_LIFETIME", 7 * 24 * 60, { min: 1 }),
    /** Secure cookies everywhere but development (APP_ENV=development serves plain http://localhost). */
    secure: env.bool("SESSION_SECURE_COOKIE", env.string("APP_ENV", "production") !== "development"),
    domain: env.optional("SESSION_DOMAIN"),
    /**
     * Keys APP_KEY replaced, comma-separated: sessions sealed with them still read
     * (and are re-sealed with APP_KEY on their next response). Drop one once
     * the idle lifetime has passed since the rotation.
     */
    previousKeys: env.list("APP_PREVIOUS_KEYS", []),
    d1: { binding: env.string("SESSION_D1_BINDING", "DB") },
  };
});
