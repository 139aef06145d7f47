import { EnvReader } from "../app/config";
import type { ServiceProvider } from "../app/service-provider";
import { CONFIG, ENV, LOGGER } from "../app/tokens";
import { jobs } from "../queue/provider";
import { JOBS } from "../queue/tokens";
import { sendMailJob } from "./job";
import { Mailer } from "./mailer";
import { MAILER } from "./tokens";
import type { MailTransport } from "./transport";
import { LogTransport } from "./transports/log";
import { MemoryTransport } from "./transports/memory";
import { SendEmailTransport } from "./transports/send-email";

/** Binds MAILER for config/mail.ts's driver and registers the queued-mail job. */
export const mailProvider: ServiceProvider = {
  name: "mail",
  register(app) {
    app.container.singleton(MAILER, (c) => {
      const config = c.resolve(CONFIG).mail;
      let transport: MailTransport;
      if (config.driver === "memory") transport = new MemoryTransport();
      else if (config.driver === "log") transport = new LogTransport(c.resolve(LOGGER).child({ component: "mail" }), config.logCapacity);
      else transport = new SendEmailTransport(new EnvReader(c.resolve(ENV) as unknown as Record<string, unknown>).binding<SendEmail>(config.binding));
      return new Mailer(transport, config.from, () => c.resolve(JOBS));
    });
  },
  boot(app) {
    jobs(sendMailJob).boot?.(app);
  },
};
