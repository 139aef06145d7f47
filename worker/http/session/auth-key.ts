/**
 * The session key holding the signed-in user's id (a string). login() and
 * logout() write it, identify() reads it, and the D1 store copies it to the
 * row's user_id so all of a user's sessions can be ended at once.
 */
export const AUTH_USER_KEY = "auth.user";
