import { SsoErrorReason } from "@spar/protocol";

/** Why single sign-on failed, in words for the person at the sign-in page. */
const messages: Record<SsoErrorReason, (provider: string) => string> = {
  unknown_person: (provider) =>
    `There is no Spar account for the e-mail address ${provider} gave us. Ask your Spar administrator to add you.`,
  email_unverified: (provider) =>
    `${provider} did not confirm your e-mail address, so Spar cannot tell which account is yours. Ask your administrator to check your e-mail address at ${provider}.`,
  account_deactivated: () =>
    "Your Spar account has been deactivated. Ask your Spar administrator if you think this is a mistake.",
  account_linked_elsewhere: (provider) =>
    `Your Spar account is already linked to a different ${provider} account. Ask your Spar administrator for help.`,
  state_invalid: () =>
    "That sign-in took too long, was already used, or began in another browser window. Please try again.",
  provider_denied: (provider) =>
    `${provider} did not sign you in (perhaps the sign-in was cancelled). Please try again.`,
  provider_unavailable: (provider) => `Spar could not reach ${provider}. Please try again in a few minutes.`,
  sign_in_failed: (provider) =>
    `Spar could not confirm your sign-in with ${provider}. Please try again; if it keeps happening, tell your Spar administrator.`,
};

/** The message for an `sso_error` parameter; null when there is none. */
export function ssoErrorMessage(reason: string | null, provider: string): string | null {
  if (reason === null) return null;
  const known = SsoErrorReason.safeParse(reason);
  return known.success ? messages[known.data](provider) : "Single sign-on did not work. Please try again.";
}
