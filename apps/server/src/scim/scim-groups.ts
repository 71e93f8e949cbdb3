import type { Actor, PeopleService, ProvisionedTeam, ProvisioningDirectory, TeamField, TeamWriteResult } from "@spar/domain";
import { textProblem } from "@spar/protocol";
import SCIMMY from "scimmy";
import { type FilterableAttributes, toDirectoryFilter } from "./scim-filter.ts";
import { type ListPage, scimError, showPage } from "./scim-paging.ts";

const groupAttributes: FilterableAttributes<TeamField> = {
  id: { field: "id", kind: "id" },
  displayname: { field: "name", kind: "text" },
  externalid: { field: "externalId", kind: "text" },
  "meta.created": { field: "createdAt", kind: "time" },
  "meta.lastmodified": { field: "updatedAt", kind: "time" },
};

const teamNameLimit = 80;

/** A Spar team as a SCIM Group (RFC 7643 §4.2): its members are the people who practise in it. */
function toScimGroup(team: ProvisionedTeam) {
  return {
    id: team.id,
    ...(team.externalId !== null ? { externalId: team.externalId } : {}),
    displayName: team.name,
    members: team.members.map((member) => ({ value: member.id, display: member.name, type: "User" })),
    meta: { resourceType: "Group", created: team.createdAt, lastModified: team.updatedAt },
  };
}

function readGroup(instance: SCIMMY.Schemas.Group) {
  const name = instance.displayName.trim();
  if (name.length === 0) throw scimError(400, "invalidValue", "displayName must not be empty: it is the team's name in Spar.");
  const problem = textProblem(name);
  if (problem) throw scimError(400, "invalidValue", `displayName ${problem}.`);
  if (name.length > teamNameLimit) throw scimError(400, "invalidValue", `displayName has at most ${teamNameLimit} characters; this one has ${name.length}.`);
  const members = instance.members ?? [];
  if (members.some((member) => typeof member.value !== "string" || member.value.length === 0)) {
    throw scimError(400, "invalidValue", "Each of members needs a value: the id of a user in Spar.");
  }
  const memberIds = [...new Set(members.map((member) => member.value))];
  return { name, externalId: instance.externalId, memberIds };
}

function failure(result: Exclude<TeamWriteResult, { ok: true }>, name: string) {
  switch (result.reason) {
    case "name-taken":
      return scimError(409, "uniqueness", `displayName '${name}' is already the name of another team in Spar.`);
    case "external-id-taken":
      return scimError(409, "uniqueness", "That externalId already belongs to another team in Spar.");
    case "person-not-found":
      return scimError(400, "invalidValue", "A member is not a user in Spar.");
    case "not-a-manager":
    case "not-found":
      return scimError(404, null, "That group was not found.");
  }
}

/** SCIM Groups over Spar's teams; managers are chosen in Spar and are not group members. */
export class ScimGroups {
  constructor(private readonly deps: { people: PeopleService; directory: ProvisioningDirectory; actor: Actor }) {}

  async read(resource: SCIMMY.Resources.Group, page: ListPage) {
    if (resource.id) return toScimGroup(await this.existing(resource.id));
    const filter = toDirectoryFilter(resource.filter, groupAttributes, SCIMMY.Schemas.Group.id);
    const { teams, total } = await this.deps.directory.listTeams(filter, { offset: page.startIndex - 1, limit: page.count });
    showPage(resource, teams.length, total);
    return teams.map(toScimGroup);
  }

  async write(resource: SCIMMY.Resources.Group, instance: SCIMMY.Schemas.Group) {
    const group = readGroup(instance);
    const store = this.deps.people.store;
    const { actor } = this.deps;
    await this.checkMembers(group.memberIds);
    if (resource.id) {
      await this.existing(resource.id);
      const updated = await store.updateTeam(
        resource.id,
        { name: group.name, memberIds: group.memberIds, ...(group.externalId !== undefined ? { externalId: group.externalId } : {}) },
        actor,
      );
      if (!updated.ok) throw failure(updated, group.name);
      return toScimGroup(await this.existing(resource.id));
    }
    const created = await store.createTeam({ name: group.name, managerIds: [], externalId: group.externalId ?? null }, actor);
    if (!created.ok) throw failure(created, group.name);
    if (group.memberIds.length > 0) {
      const joined = await store.updateTeam(created.team.id, { memberIds: group.memberIds }, actor);
      if (!joined.ok) {
        // A member erased between the check and the write: take the new team away again rather
        // than leave a group the directory was told failed.
        await store.deleteTeam(created.team.id, actor);
        throw failure(joined, group.name);
      }
    }
    return toScimGroup(await this.existing(created.team.id));
  }

  async dispose(resource: SCIMMY.Resources.Group) {
    const id = resource.id ?? "";
    await this.existing(id);
    if (!(await this.deps.people.store.deleteTeam(id, this.deps.actor)).ok) throw scimError(404, null, `Group ${id} not found.`);
  }

  private async checkMembers(memberIds: string[]) {
    const missing = await this.deps.directory.missingPeople(memberIds);
    if (missing.length > 0) throw scimError(400, "invalidValue", `members: no user in Spar has the id ${missing.map((id) => `'${id}'`).join(", ")}.`);
  }

  private async existing(id: string): Promise<ProvisionedTeam> {
    const team = await this.deps.directory.getTeam(id);
    if (!team) throw scimError(404, null, `Group ${id} not found.`);
    return team;
  }
}
