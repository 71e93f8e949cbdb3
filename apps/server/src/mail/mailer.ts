import nodemailer from "nodemailer";

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
}

/** Sends e-mail, or says it cannot: without SMTP_URL the admin passes links on by hand. */
export interface Mailer {
  readonly configured: boolean;
  send(mail: OutgoingMail): Promise<void>;
}

export const noMailer: Mailer = {
  configured: false,
  send: async () => {
    throw new Error("no SMTP server is configured (SMTP_URL)");
  },
};

/** nodemailer over SMTP: `smtp://user:pass@host:587` (STARTTLS when offered) or `smtps://…:465`. */
export function smtpMailer(url: string, from: string): Mailer {
  // Sending happens while an admin waits for the page: a mail server that hangs must not hold it
  // for nodemailer's default two minutes. The link is then shown to copy instead.
  const transport = nodemailer.createTransport({ url, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 });
  return {
    configured: true,
    send: async (mail) => {
      await transport.sendMail({ from, ...mail });
    },
  };
}
