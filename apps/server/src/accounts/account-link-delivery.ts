import type { AccountLinkPurpose, AccountLinks, Actor } from "@spar/domain";
import type { AccountLink } from "@spar/protocol";
import type { FastifyBaseLogger } from "fastify";
import type { Mailer } from "../mail/mailer.ts";

/** The page of the web app that opens a link of each kind. */
export const linkPaths: Record<AccountLinkPurpose, string> = {
  invitation: "/welcome/",
  password_reset: "/reset-password/",
};

function message(purpose: AccountLinkPurpose, name: string, url: string, expiresAt: Date) {
  const until = expiresAt.toUTCString();
  return purpose === "invitation"
    ? {
        subject: "You are invited to practise on Spar",
        text: `Hello ${name},\n\nYou have been given an account on Spar, where you can rehearse hard conversations and get feedback.\n\nChoose your password here (the link works once, until ${until}):\n${url}\n`,
      }
    : {
        subject: "Reset your Spar password",
        text: `Hello ${name},\n\nAn administrator issued a link for you to choose a new Spar password. It works once, until ${until}:\n${url}\n\nIf you did not expect this, tell your Spar administrator.\n`,
      };
}

/**
 * Issues a one-time link and delivers it: by e-mail when SMTP is configured, otherwise (or when
 * sending fails) it is returned for the admin to copy. A mailed link is never shown to the admin.
 */
export async function issueAndDeliverLink(
  deps: { links: AccountLinks; mailer: Mailer; publicUrl: URL; log: FastifyBaseLogger },
  person: { id: string; name: string; email: string },
  purpose: AccountLinkPurpose,
  actor: Actor,
): Promise<AccountLink> {
  const issued = await deps.links.issue(person.id, purpose, actor);
  const url = new URL(linkPaths[purpose] + issued.token, deps.publicUrl).toString();
  const base = { purpose, expiresAt: issued.expiresAt.toISOString() };
  if (!deps.mailer.configured) return { ...base, url, delivery: "copy", mailError: null };
  try {
    await deps.mailer.send({ to: person.email, ...message(purpose, person.name, url, issued.expiresAt) });
    return { ...base, url: null, delivery: "email", mailError: null };
  } catch (error) {
    deps.log.warn({ err: error, userId: person.id }, "could not e-mail an account link");
    const reason = error instanceof Error ? error.message : String(error);
    return { ...base, url, delivery: "copy", mailError: `The e-mail could not be sent (${reason}). Copy the link instead.` };
  }
}
