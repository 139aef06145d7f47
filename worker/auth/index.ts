export { hashPassword, verifyPassword, needsRehash, checkParams, PASSWORD_HASHING, PBKDF2_MAX_ITERATIONS, PasswordHashingError, type PasswordHashing } from "./password";
export { login, logout, sessionUserId, type LoginOptions } from "./login";
export { rememberMe } from "./remember-me";
export { RememberTokens, type RememberResult } from "./remember-tokens";
export { SingleUseTokens, type TokenPurpose, type TokenCheck } from "./single-use-tokens";
export { throttle, tooManyAttempts } from "./throttle";
export { authDatabase } from "./database";
export { AUTH_USER_KEY } from "../http/session/auth-key";
