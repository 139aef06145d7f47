import { defineModule } from "../app/module";
import { mailDevRoutes } from "./dev-routes";
import { mailProvider } from "./provider";

/** Mail: MAILER, the queued-mail job and the development mail viewer. */
export function mailModule() {
  return defineModule({ name: "mail", providers: [mailProvider], routes: mailDevRoutes });
}
