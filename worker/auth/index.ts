export { hashPassword, verifyPassword, needsRehash, checkParams, PASSWORD_HASHING, PBKDF2_MAX_ITERATIONS, PasswordHashingError, type PasswordHashing } from "./password";
export { SESSION_USER_KEY, type Authenticatable, type AuthRegister, type AuthUser, type UserProvider } from "./user";
export { Identity, grants, type TokenInfo } from "./identity";
export { Gate, defineGate, definePolicy, type Policy, type BeforeCheck, type Denial } from "./gate";
export { identify } from "./identify";
export { auth, guest, can, safeIntended } from "./guards";
export { AuthenticationError, AuthorizationError, InsufficientAbilityError, AlreadyAuthenticatedError } from "./errors";
export { ApiTokens, type ApiTokenSummary, type NewApiToken, type TokenCheck, type TokenRejection } from "./tokens/api-tokens";
export { TOKEN_PREFIX } from "./tokens/format";
