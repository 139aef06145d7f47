export { hashPassword, verifyPassword, needsRehash, checkParams, PASSWORD_HASHING, PBKDF2_MAX_ITERATIONS, PasswordHashingError, type PasswordHashing } from "./password";
