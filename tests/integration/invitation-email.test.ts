// With SMTP_URL set, invitations and reset links go by e-mail through nodemailer to a real SMTP
// server started here (smtp-server); the link is read out of the received message and works.
// When the mail server is down, the admin is told and gets the link to copy instead.
import { AccountLink, PersonCreated } from "@spar/protocol";
import { firstAdminSignIn, startTestApp } from "@spar/server/testing";
import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/** A real SMTP server on loopback that hands every received message to the test. */
async function startMailbox() {
  const received: ParsedMail[] = [];
  const waiting: ((mail: ParsedMail) => void)[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream).then(
        (mail) => {
          received.push(mail);
          waiting.shift()?.(mail);
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as { port: number };
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    /** The next message to arrive, or the one that already did. */
    next: (already: number) =>
      received.length > already ? Promise.resolve(received[already] as ParsedMail) : new Promise<ParsedMail>((resolve) => waiting.push(resolve)),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe("invitations by e-mail (PGlite, real SMTP server)", () => {
  let mailbox: Awaited<ReturnType<typeof startMailbox>>;
  let server: Awaited<ReturnType<typeof startTestApp>>;
  let admin: string;

  beforeAll(async () => {
    mailbox = await startMailbox();
    server = await startTestApp("pglite", {
      environment: { SMTP_URL: mailbox.url, MAIL_FROM: "Spar <spar@example.com>", PUBLIC_URL: "https://spar.example.com" },
    });
    admin = await firstAdminSignIn(server.app);
  });
  afterAll(async () => {
    await server?.close();
    await mailbox?.close();
  });

  it("e-mails the invitation, shows the admin no link, and the link in the message lets the person in", async () => {
    const before = mailbox.received.length;
    const response = await server.app.inject({
      method: "POST",
      url: "/api/people",
      headers: { cookie: admin },
      payload: { name: "Mina Park", email: "mina.park@example.com", role: "learner" },
    });
    expect(response.statusCode).toBe(201);
    const { link } = PersonCreated.parse(response.json());
    expect(link).toMatchObject({ delivery: "email", url: null, mailError: null });

    const mail = await mailbox.next(before);
    expect(mail.to && "text" in mail.to ? mail.to.text : "").toBe("mina.park@example.com");
    expect(mail.from?.value[0]).toMatchObject({ name: "Spar", address: "spar@example.com" });
    expect(mail.subject).toBe("You are invited to practise on Spar");
    const url = /https:\/\/spar\.example\.com\/welcome\/([\w-]{43})/.exec(mail.text ?? "");
    expect(url).not.toBeNull();

    const joined = await server.app.inject({ method: "POST", url: `/api/account-links/${url?.[1]}`, payload: { password: "my own long passphrase" } });
    expect(joined.statusCode).toBe(200);
    expect(joined.json()).toMatchObject({ user: { email: "mina.park@example.com" } });
  });

  it("e-mails a password reset link that ends the person's other sign-ins", async () => {
    const signedIn = await server.app.inject({ method: "POST", url: "/api/auth/sign-in", payload: { email: "mina.park@example.com", password: "my own long passphrase" } });
    const oldCookie = String(signedIn.headers["set-cookie"]).split(";")[0] as string;
    const people = (await server.app.inject({ method: "GET", url: "/api/people?search=mina", headers: { cookie: admin } })).json() as { people: { id: string }[] };
    const before = mailbox.received.length;
    const reset = await server.app.inject({ method: "POST", url: `/api/people/${people.people[0]?.id}/password-reset`, headers: { cookie: admin } });
    expect(AccountLink.parse(reset.json())).toMatchObject({ purpose: "password_reset", delivery: "email", url: null });
    const mail = await mailbox.next(before);
    expect(mail.subject).toBe("Reset your Spar password");
    const token = /\/reset-password\/([\w-]{43})/.exec(mail.text ?? "")?.[1];
    expect((await server.app.inject({ method: "POST", url: `/api/account-links/${token}`, payload: { password: "a brand new passphrase" } })).statusCode).toBe(200);
    expect((await server.app.inject({ method: "GET", url: "/api/auth/me", headers: { cookie: oldCookie } })).statusCode).toBe(401);
  });

  it("tells the admin when the mail server is down, and gives the link to copy instead", async () => {
    await mailbox.close();
    const response = await server.app.inject({
      method: "POST",
      url: "/api/people",
      headers: { cookie: admin },
      payload: { name: "Nobody Mailed", email: "nobody.mailed@example.com", role: "learner" },
    });
    expect(response.statusCode).toBe(201);
    const { link } = PersonCreated.parse(response.json());
    expect(link.delivery).toBe("copy");
    expect(link.url).toMatch(/^https:\/\/spar\.example\.com\/welcome\/[\w-]{43}$/);
    expect(link.mailError).toMatch(/^The e-mail could not be sent \(.+\)\. Copy the link instead\.$/);
  });
});
