// People, teams, invitations, the audit log and each person's data rights: the L&D admin's
// pages and the API behind them.
import { z } from "zod";
import { documentText, text } from "./text.ts";
import { Email, NewPassword, Role } from "./accounts.ts";

const PersonName = text().trim().min(1, { message: "Enter a name." }).max(120, { message: "Use at most 120 characters." });
const TeamName = text().trim().min(1, { message: "Enter a team name." }).max(80, { message: "Use at most 80 characters." });

/** Where a person's account stands. */
export const AccountStatus = z.enum([
  /** Added, but has not chosen a password or signed in with SSO yet. */
  "invited",
  "active",
  /** Cannot sign in; their data stays until erased. */
  "deactivated",
]);
export type AccountStatus = z.infer<typeof AccountStatus>;

export const Person = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  role: Role,
  status: AccountStatus,
  /** The team the person practises in (as a member); null when in none. */
  team: z.object({ id: z.string(), name: z.string() }).nullable(),
  /** Teams the person manages. */
  manages: z.array(z.object({ id: z.string(), name: z.string() })),
  isDemo: z.boolean(),
  createdAt: z.string(),
});
export type Person = z.infer<typeof Person>;

export const PeopleQuery = z.object({
  /** Matches name or email, case-insensitively. */
  search: text().trim().max(200).optional(),
  role: Role.optional(),
  status: AccountStatus.optional(),
  teamId: z.uuid().optional(),
  cursor: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type PeopleQuery = z.infer<typeof PeopleQuery>;

export const PeoplePage = z.object({
  people: z.array(Person),
  /** Pass as `cursor` for the next page; null on the last. */
  nextCursor: z.string().nullable(),
  total: z.number().int(),
});
export type PeoplePage = z.infer<typeof PeoplePage>;

export const NewPersonRequest = z.object({
  name: PersonName,
  email: Email,
  role: Role,
  teamId: z.uuid().nullable().optional(),
});
export type NewPersonRequest = z.infer<typeof NewPersonRequest>;

/** Any subset of fields; `active: false` deactivates (ends every sign-in at once), `true` reactivates. */
export const UpdatePersonRequest = z
  .object({
    name: PersonName,
    role: Role,
    /** The team the person practises in; null takes them out of every team as a member. */
    teamId: z.uuid().nullable(),
    active: z.boolean(),
  })
  .partial()
  .refine((body) => Object.keys(body).length > 0, { message: "Send at least one field to change." });
export type UpdatePersonRequest = z.infer<typeof UpdatePersonRequest>;

/** A one-time link (invitation or password reset). `delivered` says whether it went by e-mail. */
export const AccountLink = z.object({
  purpose: z.enum(["invitation", "password_reset"]),
  /** Shown only when the admin must pass the link on: with e-mail it goes to the person alone. */
  url: z.string().nullable(),
  expiresAt: z.string(),
  /** "email" when Spar sent it (SMTP_URL is set); "copy" when the admin must pass it on. */
  delivery: z.enum(["email", "copy"]),
  /** Why an e-mail could not be sent, when it could not (the link is then shown to copy). */
  mailError: z.string().nullable(),
});
export type AccountLink = z.infer<typeof AccountLink>;

export const PersonCreated = z.object({ person: Person, link: AccountLink });
export type PersonCreated = z.infer<typeof PersonCreated>;

export const TeamDetail = z.object({
  id: z.string(),
  name: z.string(),
  isDemo: z.boolean(),
  managers: z.array(z.object({ id: z.string(), name: z.string(), email: z.string() })),
  memberCount: z.number().int(),
});
export type TeamDetail = z.infer<typeof TeamDetail>;

export const NewTeamRequest = z.object({
  name: TeamName,
  managerIds: z.array(z.uuid()).max(50).default([]),
});
export type NewTeamRequest = z.infer<typeof NewTeamRequest>;

export const UpdateTeamRequest = z
  .object({ name: TeamName, managerIds: z.array(z.uuid()).max(50) })
  .partial()
  .refine((body) => Object.keys(body).length > 0, { message: "Send at least one field to change." });
export type UpdateTeamRequest = z.infer<typeof UpdateTeamRequest>;

export const AuditEntryView = z.object({
  id: z.string(),
  at: z.string(),
  actor: z.object({ id: z.string(), name: z.string() }).nullable(),
  action: z.string(),
  subject: z.object({ id: z.string(), name: z.string() }).nullable(),
  resourceType: z.string(),
  resourceId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
});
export type AuditEntryView = z.infer<typeof AuditEntryView>;

export const AuditQuery = z.object({
  /** Entries where this person acted or was acted upon. */
  personId: z.uuid().optional(),
  /** Exact action (`person.deactivated`) or a prefix ending in a dot (`person.`). */
  action: text().trim().max(80).optional(),
  before: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type AuditQuery = z.infer<typeof AuditQuery>;

export const AuditPage = z.object({
  entries: z.array(AuditEntryView),
  /** Pass as `before` for older entries; null when there are none. */
  nextBefore: z.string().nullable(),
  /** Every action name that occurs in the log, for the filter. */
  actions: z.array(z.string()),
});
export type AuditPage = z.infer<typeof AuditPage>;

/** What a one-time link is for, before the person sets a password on it. */
export const AccountLinkInfo = z.object({
  purpose: z.enum(["invitation", "password_reset"]),
  name: z.string(),
  email: z.string(),
  expiresAt: z.string(),
});
export type AccountLinkInfo = z.infer<typeof AccountLinkInfo>;

export const SetPasswordRequest = z.object({ password: NewPassword });
export type SetPasswordRequest = z.infer<typeof SetPasswordRequest>;

export const ChangePasswordRequest = z.object({
  currentPassword: text().min(1, { message: "Enter your current password." }).max(200),
  newPassword: NewPassword,
});
export type ChangePasswordRequest = z.infer<typeof ChangePasswordRequest>;

export const PeopleImportQuery = z.object({
  /** Check the file and report what an import would do, writing nothing. */
  dryRun: z.stringbool().default(false),
});

/** A people CSV, as the body's text; its rows are checked one by one, each problem with its line. */
export const PeopleCsvUpload = documentText();

/** One row of a people CSV that could not be imported. */
export const ImportProblem = z.object({ line: z.number().int(), message: z.string() });
export type ImportProblem = z.infer<typeof ImportProblem>;

export const ImportReport = z.object({
  /** False when any row was bad: then nothing was imported. */
  imported: z.boolean(),
  problems: z.array(ImportProblem),
  created: z.array(z.string()).describe("E-mail addresses of people created."),
  changed: z.array(z.string()).describe("E-mail addresses of people whose name, role or team changed."),
  unchanged: z.number().int(),
  teamsCreated: z.array(z.string()),
  /** True when the file was only checked (`?dryRun=true`): the counts say what an import would do. */
  dryRun: z.boolean().optional(),
});
export type ImportReport = z.infer<typeof ImportReport>;

/** The typed confirmation an erasure needs: the person's e-mail address, exactly. */
export const EraseRequest = z.object({ confirmEmail: Email });
export type EraseRequest = z.infer<typeof EraseRequest>;

export const EraseReport = z.object({
  sessions: z.number().int(),
  turns: z.number().int(),
  scorecards: z.number().int(),
});
export type EraseReport = z.infer<typeof EraseReport>;

/** How a person can sign in on this server, for the sign-in page. */
export const SignInOptions = z.object({
  password: z.boolean(),
  /** Present when single sign-on is configured: the button reads "Sign in with <name>". */
  oidc: z.object({ name: z.string(), loginUrl: z.string() }).nullable(),
});
export type SignInOptions = z.infer<typeof SignInOptions>;

/**
 * Why a single sign-on attempt was refused. The server sends the browser to
 * `/sign-in?sso_error=<reason>` and the page explains it in words; see docs/sso.md.
 */
export const SsoErrorReason = z.enum([
  /** No Spar account has this e-mail, and its domain is not one that may join by itself. */
  "unknown_person",
  /** The provider gave no e-mail address, or did not confirm (`email_verified`) that it is theirs. */
  "email_unverified",
  /** The Spar account is deactivated or erased. */
  "account_deactivated",
  /** The Spar account with this e-mail is already linked to a different account at the provider. */
  "account_linked_elsewhere",
  /** The attempt expired, was already used, or began in another browser: start again. */
  "state_invalid",
  /** The provider answered with an error (for example the person cancelled: `access_denied`). */
  "provider_denied",
  /** Spar could not reach the provider. */
  "provider_unavailable",
  /** The provider's answer could not be verified (code exchange or ID token check failed). */
  "sign_in_failed",
]);
export type SsoErrorReason = z.infer<typeof SsoErrorReason>;
