import type { Actor, PeopleService, PersonField, PersonWriteResult, ProvisionedPerson, ProvisioningDirectory } from "@spar/domain";
import { Email, textProblem } from "@spar/protocol";
import SCIMMY from "scimmy";
import { type FilterableAttributes, toDirectoryFilter } from "./scim-filter.ts";
import { type ListPage, scimError, showPage } from "./scim-paging.ts";

const userAttributes: FilterableAttributes<PersonField> = {
  id: { field: "id", kind: "id" },
  username: { field: "email", kind: "text" },
  "emails.value": { field: "email", kind: "text" },
  emails: { field: "email", kind: "text" },
  externalid: { field: "externalId", kind: "text" },
  displayname: { field: "name", kind: "text" },
  "name.formatted": { field: "name", kind: "text" },
  active: { field: "active", kind: "boolean" },
  "meta.created": { field: "createdAt", kind: "time" },
  "meta.lastmodified": { field: "updatedAt", kind: "time" },
};

const nameLimit = 120;

/** A Spar person as a SCIM User (RFC 7643 §4.1); scimmy adds `schemas` and `meta.location`. */
function toScimUser(person: ProvisionedPerson) {
  return {
    id: person.id,
    ...(person.externalId !== null ? { externalId: person.externalId } : {}),
    userName: person.email,
    name: { formatted: person.name },
    displayName: person.name,
    active: person.active,
    emails: [{ value: person.email, type: "work", primary: true }],
    groups: person.team ? [{ value: person.team.id, display: person.team.name, type: "direct" }] : [],
    meta: { resourceType: "User", created: person.createdAt, lastModified: person.updatedAt },
  };
}

/** What a SCIM User body says about the person, checked against Spar's rules. */
function readUser(instance: SCIMMY.Schemas.User) {
  const email = Email.safeParse(instance.userName);
  if (!email.success) {
    throw scimError(400, "invalidValue", `userName must be the person's e-mail address (Spar signs people in by e-mail); '${instance.userName}' is not one.`);
  }
  const given = [instance.name?.givenName, instance.name?.familyName].filter((part) => part?.trim()).join(" ");
  // The names a directory may send, most specific first; Spar keeps one name per person.
  const names = [instance.displayName, instance.name?.formatted, given].map((name) => name?.trim() ?? "").filter((name) => name.length > 0);
  for (const [field, value] of [...names.map((name) => ["name", name]), ["externalId", instance.externalId ?? ""]] as const) {
    const problem = textProblem(value);
    if (problem) throw scimError(400, "invalidValue", `The ${field} '${value.replace(/[^\p{L}\p{N} .-]/gu, "?")}' ${problem}.`);
  }
  const tooLong = names.find((name) => name.length > nameLimit);
  if (tooLong) throw scimError(400, "invalidValue", `A name has at most ${nameLimit} characters; '${tooLong.slice(0, 40)}…' has ${tooLong.length}.`);
  return { email: email.data, names, externalId: instance.externalId, active: instance.active };
}

/**
 * Of the names a body carries, the one the directory changed: a PATCH of `name.givenName` leaves
 * the displayName it was sent back untouched, so the first name that differs from the stored one
 * is the new one.
 */
function chosenName(current: string, names: string[]): string {
  return names.find((name) => name !== current) ?? current;
}

function failure(result: Exclude<PersonWriteResult, { ok: true }>, email: string) {
  switch (result.reason) {
    case "email-taken":
      return scimError(409, "uniqueness", `userName '${email}' is already taken by another person in Spar.`);
    case "external-id-taken":
      return scimError(409, "uniqueness", "That externalId already belongs to another person in Spar.");
    case "last-admin":
      return scimError(400, "mutability", "This is the organisation's last active L&D admin: make someone else an L&D admin in Spar first.");
    case "not-found":
    case "erased":
    case "team-not-found":
      return scimError(404, null, "That user was not found.");
  }
}

/** SCIM Users over Spar's people: every write goes through PeopleService with the SCIM actor. */
export class ScimUsers {
  constructor(private readonly deps: { people: PeopleService; directory: ProvisioningDirectory; actor: Actor }) {}

  async read(resource: SCIMMY.Resources.User, page: ListPage) {
    if (resource.id) return toScimUser(await this.existing(resource.id));
    const filter = toDirectoryFilter(resource.filter, userAttributes, SCIMMY.Schemas.User.id);
    const { people, total } = await this.deps.directory.listPeople(filter, { offset: page.startIndex - 1, limit: page.count });
    showPage(resource, people.length, total);
    return people.map(toScimUser);
  }

  async write(resource: SCIMMY.Resources.User, instance: SCIMMY.Schemas.User) {
    const user = readUser(instance);
    const { people, directory, actor } = this.deps;
    let id = resource.id;
    if (!id) {
      // Someone the directory deleted earlier and now provisions again gets their account back.
      const restored = await directory.restore(user.email, actor);
      if (restored) {
        id = restored;
      } else {
        const name = user.names[0] ?? user.email.split("@")[0] ?? user.email;
        const created = await people.store.create({ name, email: user.email, role: "learner", teamId: null, externalId: user.externalId ?? null }, actor);
        if (!created.ok) throw failure(created, user.email);
        if (user.active === false) await this.update(created.person.id, { active: false }, user.email);
        return toScimUser(await this.existing(created.person.id));
      }
    }
    const current = await this.existing(id);
    // An attribute a body leaves out keeps its value: providers differ in what they send again.
    await this.update(
      id,
      {
        email: user.email,
        name: chosenName(current.name, user.names),
        ...(user.externalId !== undefined ? { externalId: user.externalId } : {}),
        ...(user.active !== undefined ? { active: user.active } : resource.id ? {} : { active: true }),
      },
      user.email,
    );
    return toScimUser(await this.existing(id));
  }

  /** DELETE: deactivated (sign-ins end at once) and deprovisioned; practice data stays until an admin erases it. */
  async dispose(resource: SCIMMY.Resources.User) {
    const id = resource.id ?? "";
    const person = await this.existing(id);
    await this.update(id, { active: false }, person.email);
    if (!(await this.deps.directory.deprovision(id, this.deps.actor))) throw scimError(404, null, `User ${id} not found.`);
  }

  private async update(id: string, change: Parameters<PeopleService["update"]>[1], email: string) {
    const result = await this.deps.people.update(id, change, this.deps.actor);
    if (!result.ok) throw failure(result, email);
  }

  private async existing(id: string): Promise<ProvisionedPerson> {
    const person = await this.deps.directory.getPerson(id);
    if (!person) throw scimError(404, null, `User ${id} not found.`);
    return person;
  }
}
