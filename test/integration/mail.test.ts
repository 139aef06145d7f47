import { describe, expect, it } from "vitest";
import { dataModule } from "../../worker/db/module";
import { html } from "../../worker/templating/html";
import { mailModule, MAILER, MailAssertionError, InvalidMailError, htmlToText, type Mail } from "../../worker/mail/index";
import { queueModule } from "../../worker/queue/module";
import { deliverJobs, jobEnvelope } from "../../worker/testing/queue-batch";
import { env } from "cloudflare:workers";
import { app as fixtureApp } from "../fixtures/app";
import { testApp } from "../support/app";
import { eventually } from "../support/jobs";

const resetMail = (to: string, link: string): Mail => ({
  to,
  subject: "Reset your password",
  html: html`<p>Hello &amp; welcome,</p><p><a href="${link}">Reset it</a></p>`,
});

function mailApp(env: Record<string, string | undefined> = {}) {
  return testApp({
    modules: [dataModule, queueModule, mailModule()],
    env,
    routes: (r) => {
      r.post("/send", async (c) => (await c.resolve(MAILER).send(resetMail("ada@example.com", "https://app.test/reset/abc?x=1&y=2")), { ok: true }));
      r.post("/queue", async (c) => c.resolve(MAILER).queue(resetMail("bob@example.com", "https://app.test/reset/q")));
      r.post("/bad/:to", async (c) => c.resolve(MAILER).send({ ...resetMail(c.params.to!, "x"), subject: "a" }));
    },
  });
}

describe("mail", () => {
  it("the memory driver (tests) keeps rendered mail and asserts on it", async () => {
    const t = mailApp();
    expect((await t.fetch("/send", { method: "POST" })).status).toBe(200);
    const outbox = t.app.resolve(MAILER).outbox();
    const mail = outbox.assertSent("ada@example.com", (m) => m.subject === "Reset your password");
    expect(mail.html).toBe('<p>Hello &amp; welcome,</p><p><a href="https://app.test/reset/abc?x=1&amp;y=2">Reset it</a></p>');
    expect(mail.text).toBe("Hello & welcome,\nReset it (https://app.test/reset/abc?x=1&y=2)");
    expect(mail.from).toEqual({ name: "Stratus", email: "no-reply@example.com" });
    outbox.assertCount(1);
    expect(() => outbox.assertSent("eve@example.com")).toThrow(MailAssertionError);
    expect(() => outbox.assertNothingSent()).toThrow(/"Reset your password" to ada@example.com/);
    outbox.clear();
    outbox.assertNothingSent();
  });

  it("refuses bad addresses and header injection with a clear error", async () => {
    const t = mailApp({ APP_DEBUG: "true" });
    const res = await t.fetch(`/bad/${encodeURIComponent("not an address")}`, { method: "POST" });
    expect(res.status).toBe(500);
    expect(((await res.json()) as { detail: string }).detail).toContain("is not an email address");
    const mailer = t.app.resolve(MAILER);
    await expect(mailer.send({ ...resetMail("a@example.com", "x"), subject: "Hi\r\nBcc: eve@example.com" })).rejects.toThrow(InvalidMailError);
    await expect(mailer.send({ ...resetMail("a@example.com", "x"), to: [] })).rejects.toThrow(/at least one recipient/);
    mailer.outbox().assertNothingSent();
  });

  it("queued mail is rendered when queued and sent by the job through the real consumer", async () => {
    const t = mailApp();
    const res = await t.fetch("/queue", { method: "POST" });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { id: string }).id).toMatch(/.+/);
    const mailer = t.app.resolve(MAILER);
    mailer.outbox().assertNothingSent();
    // The message the dispatcher sent, delivered to the consumer as the runtime would.
    const rendered = { from: { name: "Stratus", email: "no-reply@example.com" }, to: [{ name: "", email: "bob@example.com" }], cc: [], bcc: [], subject: "Queued", html: "<p>hi</p>", text: "hi" };
    const delivery = await deliverJobs(t.app, [{ body: jobEnvelope("stratus.mail.send", rendered) }]);
    expect(delivery.explicitAcks).toHaveLength(1);
    expect(mailer.outbox().assertSent("bob@example.com").subject).toBe("Queued");
  });

  it("queued mail goes through the real local Queues broker to the Worker's consumer, rendered when queued", async () => {
    await fixtureApp.boot(env);
    const mailer = fixtureApp.resolve(MAILER);
    const to = `queued-${crypto.randomUUID()}@example.com`;
    await mailer.queue({ to, subject: "Via the broker", html: html`<p>Code: ${"<42>"}</p>` });
    const mail = await eventually(() => mailer.outbox().to(to)[0]);
    expect(mail.html).toBe("<p>Code: &lt;42&gt;</p>");
    expect(mail.text).toBe("Code: <42>");
  });

  it("a queued mail payload that is not a rendered mail fails validation, not delivery", async () => {
    const t = mailApp();
    await t.fetch("/queue", { method: "POST" });
    await deliverJobs(t.app, [{ body: jobEnvelope("stratus.mail.send", { to: "nobody" }) }]);
    t.app.resolve(MAILER).outbox().assertNothingSent();
  });

  it("the log driver keeps mail readable at /__stratus/mail in development only", async () => {
    const t = mailApp({ APP_ENV: "development", MAIL_DRIVER: "log" });
    await t.fetch("/send", { method: "POST" });
    const index = await (await t.fetch("/__stratus/mail")).text();
    const id = /href="\/__stratus\/mail\/([^"]+)"/.exec(index)?.[1];
    expect(id).toBeDefined();
    const page = await t.fetch(`/__stratus/mail/${id}`);
    expect(page.headers.get("content-security-policy")).toContain("sandbox");
    expect(await page.text()).toContain('<a href="https://app.test/reset/abc?x=1&amp;y=2">Reset it</a>');
    expect((await t.fetch("/__stratus/mail/unknown")).status).toBe(404);

    const prod = mailApp({ APP_ENV: "production", MAIL_DRIVER: "log" });
    await prod.fetch("/send", { method: "POST" });
    expect((await prod.fetch("/__stratus/mail")).status).toBe(404);
    expect((await prod.fetch(`/__stratus/mail/${id}`)).status).toBe(404);
  });

  it("the send-email driver hands the mail to the send_email binding", async () => {
    const t = mailApp({ MAIL_DRIVER: "send-email", MAIL_FROM_ADDRESS: "sender@example.com" });
    const res = await t.fetch("/send", { method: "POST" });
    expect(res.status).toBe(200);
    expect(t.app.resolve(MAILER).transport.name).toBe("send-email");
  });

  it("htmlToText keeps link targets and paragraph breaks", () => {
    expect(htmlToText('<h1>Hi</h1><p>Go <a href="https://x.test/a">here</a>.</p>')).toBe("Hi\nGo here (https://x.test/a).");
  });
});
