import { defineFrameworkConfig as defineConfig } from "../app/config";

/** Sign-in: remember-me cookies, single-use mailed tokens and login throttling (worker/auth). */
export default defineConfig("login", (env) => ({
  /** The D1 binding holding remember_tokens and auth_tokens. */
  binding: env.string("AUTH_D1_BINDING", "DB"),
  remember: {
    cookie: env.string("REMEMBER_COOKIE", "stratus_remember"),
    /** Days a remember-me token lasts from sign-in (it rotates on each use; the expiry does not move). */
    days: env.int("REMEMBER_LIFETIME_DAYS", 30, { min: 1, max: 400 }),
  },
  tokens: {
    /** Minutes a password-reset link works. */
    resetMinutes: env.int("PASSWORD_RESET_LIFETIME", 60, { min: 1 }),
    /** Minutes an email-verification link works. */
    verifyMinutes: env.int("EMAIL_VERIFY_LIFETIME", 24 * 60, { min: 1 }),
  },
  throttle: {
    /** Rate Limiting bindings (wrangler.toml [[ratelimits]]): one keyed by email, one by client IP. */
    emailBinding: env.string("LOGIN_EMAIL_LIMITER_BINDING", "LOGIN_EMAIL_LIMITER"),
    ipBinding: env.string("LOGIN_IP_LIMITER_BINDING", "LOGIN_IP_LIMITER"),
    /** The bindings' `period` (10 or 60 s): the Retry-After of a refused attempt. */
    periodSeconds: env.int("LOGIN_THROTTLE_PERIOD", 60, { min: 10, max: 60 }),
  },
}));
