import * as v from "valibot";

const email = v.pipe(v.string("Enter your email address."), v.trim(), v.nonEmpty("Enter your email address."), v.email("Enter a valid email address."), v.maxLength(254), v.toLowerCase());
/** PBKDF2 input is bounded so a megabyte "password" costs no more than a normal one to reject. */
const password = v.pipe(v.string("Enter a password."), v.minLength(8, "Use at least 8 characters."), v.maxLength(200, "Use at most 200 characters."));
/** A new password and its confirmation; the mismatch message lands on the confirmation field. */
const newPassword = v.pipe(
  v.object({ password, password_confirmation: v.string() }),
  v.forward(v.partialCheck([["password"], ["password_confirmation"]], (input) => input.password === input.password_confirmation, "The passwords do not match."), ["password_confirmation"]),
);

export const registerForm = v.intersect([
  v.object({ name: v.pipe(v.string("Enter your name."), v.trim(), v.nonEmpty("Enter your name."), v.maxLength(120)), email }),
  newPassword,
]);

export const loginForm = v.object({
  email,
  password: v.pipe(v.string("Enter your password."), v.nonEmpty("Enter your password."), v.maxLength(200)),
  remember: v.optional(v.string()),
});

export const forgotForm = v.object({ email });

export const resetForm = newPassword;

export const changePasswordForm = v.intersect([v.object({ current_password: v.pipe(v.string("Enter your current password."), v.nonEmpty("Enter your current password.")) }), newPassword]);
