import { auth, defineModule } from "stratus";
import { changePassword, showAccount } from "./account";
import { showLogin, submitLogin, submitLogout } from "./login";
import { oauthCallback, oauthRedirect } from "./oauth/routes";
import { showForgot, showReset, submitForgot, submitReset } from "./password-reset";
import { register, showRegister } from "./register";
import { resendVerification, verifyEmail } from "./verify-email";

/** The reference app's sign-in pages (server-rendered forms; the framework's login()/logout() underneath). */
export const authPagesModule = defineModule({
  name: "auth-pages",
  routes(router) {
    router.get("/register", showRegister, { name: "register" });
    router.post("/register", register, { name: "register.store" });
    router.get("/login", showLogin, { name: "login" });
    router.post("/login", submitLogin, { name: "login.store" });
    router.post("/logout", submitLogout, { name: "logout" });
    router.get("/forgot-password", showForgot, { name: "password.request" });
    router.post("/forgot-password", submitForgot, { name: "password.email" });
    router.get("/reset-password/:token", showReset, { name: "password.reset" });
    router.post("/reset-password/:token", submitReset, { name: "password.update" });
    router.get("/verify-email/:token", verifyEmail, { name: "verification.verify" });
    router.post("/email/verification-notification", resendVerification, { name: "verification.send", middleware: [auth()] });
    router.get("/account", showAccount, { name: "account", middleware: [auth()] });
    router.post("/account/password", changePassword, { name: "account.password", middleware: [auth()] });
    for (const id of ["github", "google"] as const) {
      router.get(`/auth/${id}`, oauthRedirect(id), { name: `oauth.${id}` });
      router.get(`/auth/${id}/callback`, oauthCallback(id), { name: `oauth.${id}.callback` });
    }
  },
});
