import { z } from "zod";
import { text } from "./text.ts";

export const Role = z.enum(["learner", "manager", "ld_admin"]);
export type Role = z.infer<typeof Role>;

export const Email = text()
  .trim()
  .toLowerCase()
  // RFC 5321's limit for an address that can receive mail.
  .pipe(z.string().max(254, { message: "An e-mail address has at most 254 characters." }))
  .pipe(z.email({ message: "Enter an email address like name@example.com." }));

export const NewPassword = text()
  .min(10, { message: "Use at least 10 characters." })
  .max(200, { message: "Use at most 200 characters." });

export const SignInRequest = z.object({
  email: Email,
  // Checked only against the stored hash; length rules apply when a password is set.
  password: text().min(1, { message: "Enter your password." }).max(200),
});
export type SignInRequest = z.infer<typeof SignInRequest>;

export const CurrentUser = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: Role,
});
export type CurrentUser = z.infer<typeof CurrentUser>;

export const CreateFirstAdminRequest = z.object({
  name: text().trim().min(1, { message: "Enter your name." }).max(120),
  email: Email,
  password: NewPassword,
});
export type CreateFirstAdminRequest = z.infer<typeof CreateFirstAdminRequest>;

export const SetupStatus = z.object({
  /** True on a fresh install: no account exists yet. */
  needsSetup: z.boolean(),
  /** True while the demo organisation's accounts exist. */
  demoLoaded: z.boolean(),
  /** False when the operator turned demo data off (SPAR_DEMO=off). */
  demoAllowed: z.boolean(),
});
export type SetupStatus = z.infer<typeof SetupStatus>;

export const DemoAccount = z.object({
  name: z.string(),
  email: z.string(),
  role: Role,
  team: z.string().nullable(),
});
export type DemoAccount = z.infer<typeof DemoAccount>;

export const DemoAccounts = z.object({
  /** null, with no accounts, when no demo data is loaded. */
  password: z.string().nullable(),
  accounts: z.array(DemoAccount),
});
export type DemoAccounts = z.infer<typeof DemoAccounts>;

export const TeamSummary = z.object({
  id: z.string(),
  name: z.string(),
  managers: z.array(z.object({ id: z.string(), name: z.string() })),
  members: z.array(z.object({ id: z.string(), name: z.string(), email: z.string() })),
});
export type TeamSummary = z.infer<typeof TeamSummary>;
