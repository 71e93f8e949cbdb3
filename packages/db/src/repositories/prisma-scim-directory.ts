import type { Actor, Comparison, DirectoryFilter, DirectoryPage, PersonField, ProvisionedPerson, ProvisionedTeam, ProvisioningDirectory, TeamField } from "@spar/domain";
import type { Prisma, PrismaClient } from "../generated/prisma/client.ts";

const uuidShape = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const nobody = { id: { in: [] as string[] } };

/** Who the identity provider sees: not the demo organisation, not erased, not deleted by it. */
const provisioned = { isDemo: false, erasedAt: null, deprovisionedAt: null } satisfies Prisma.UserWhereInput;

const personSelect = {
  id: true,
  name: true,
  email: true,
  externalId: true,
  disabledAt: true,
  createdAt: true,
  updatedAt: true,
  teams: { where: { role: "member" }, select: { team: { select: { id: true, name: true } } } },
} satisfies Prisma.UserSelect;

type PersonRow = Prisma.UserGetPayload<{ select: typeof personSelect }>;

function toPerson(row: PersonRow): ProvisionedPerson {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    externalId: row.externalId,
    active: row.disabledAt === null,
    team: row.teams[0]?.team ?? null,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

const teamSelect = {
  id: true,
  name: true,
  externalId: true,
  createdAt: true,
  updatedAt: true,
  members: { where: { role: "member", user: provisioned }, select: { user: { select: { id: true, name: true } } }, orderBy: { userId: "asc" } },
} satisfies Prisma.TeamSelect;

type TeamRow = Prisma.TeamGetPayload<{ select: typeof teamSelect }>;

function toTeam(row: TeamRow): ProvisionedTeam {
  return {
    id: row.id,
    name: row.name,
    externalId: row.externalId,
    members: row.members.map((member) => member.user),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

type StringCondition = Prisma.StringFilter | Prisma.StringNullableFilter;

/** A string comparison; e-mails and names compare case-insensitively, external ids exactly. */
function stringCondition(comparison: Comparison<string>, caseExact: boolean): { condition: StringCondition; negate: boolean } | "all" | "none" {
  const mode = caseExact ? undefined : ("insensitive" as const);
  const value = String(comparison.value);
  switch (comparison.operator) {
    case "eq":
      return { condition: { equals: value, mode }, negate: false };
    case "ne":
      return { condition: { equals: value, mode }, negate: true };
    case "co":
      return { condition: { contains: value, mode }, negate: false };
    case "sw":
      return { condition: { startsWith: value, mode }, negate: false };
    case "ew":
      return { condition: { endsWith: value, mode }, negate: false };
    case "gt":
      return { condition: { gt: value }, negate: false };
    case "ge":
      return { condition: { gte: value }, negate: false };
    case "lt":
      return { condition: { lt: value }, negate: false };
    case "le":
      return { condition: { lte: value }, negate: false };
    case "pr":
      return "all";
    case "np":
      return "none";
  }
}

function dateCondition(comparison: Comparison<string>): Prisma.DateTimeFilter | "all" | "none" {
  const value = comparison.value instanceof Date ? comparison.value : new Date(String(comparison.value));
  switch (comparison.operator) {
    case "eq":
      return { equals: value };
    case "ne":
      return { not: value };
    case "gt":
      return { gt: value };
    case "ge":
      return { gte: value };
    case "lt":
      return { lt: value };
    case "le":
      return { lte: value };
    case "pr":
      return "all";
    default:
      return "none";
  }
}

/** `id` columns are UUIDs: a value of another shape matches no row rather than failing the query. */
function idCondition(comparison: Comparison<string>): Prisma.UserWhereInput & Prisma.TeamWhereInput {
  const value = String(comparison.value);
  if (comparison.operator === "pr") return {};
  if (comparison.operator === "eq") return uuidShape.test(value) ? { id: value } : nobody;
  if (comparison.operator === "ne") return uuidShape.test(value) ? { NOT: { id: value } } : {};
  return nobody;
}

function textWhere<Where>(field: string, comparison: Comparison<string>, caseExact: boolean, nullable: boolean): Where {
  if (nullable && comparison.operator === "pr") return { [field]: { not: null } } as Where;
  if (nullable && comparison.operator === "np") return { [field]: null } as Where;
  const built = stringCondition(comparison, caseExact);
  if (built === "all") return {} as Where;
  if (built === "none") return nobody as Where;
  return (built.negate ? { NOT: { [field]: built.condition } } : { [field]: built.condition }) as Where;
}

function timeWhere<Where>(field: string, comparison: Comparison<string>): Where {
  const built = dateCondition(comparison);
  if (built === "all") return {} as Where;
  if (built === "none") return nobody as Where;
  return { [field]: built } as Where;
}

function personWhere(comparison: Comparison<PersonField>): Prisma.UserWhereInput {
  switch (comparison.field) {
    case "id":
      return idCondition(comparison);
    case "email":
      // E-mails are stored lower-cased, so an insensitive comparison is also exact.
      return textWhere("email", comparison, false, false);
    case "name":
      return textWhere("name", comparison, false, false);
    case "externalId":
      return textWhere("externalId", comparison, true, true);
    case "active": {
      if (comparison.operator === "pr") return {};
      if (comparison.operator === "np") return nobody;
      const wantsActive = comparison.operator === "ne" ? comparison.value !== true : comparison.value === true;
      return wantsActive ? { disabledAt: null } : { disabledAt: { not: null } };
    }
    case "createdAt":
      return timeWhere("createdAt", comparison);
    case "updatedAt":
      return timeWhere("updatedAt", comparison);
  }
}

function teamWhere(comparison: Comparison<TeamField>): Prisma.TeamWhereInput {
  switch (comparison.field) {
    case "id":
      return idCondition(comparison);
    case "name":
      return textWhere("name", comparison, false, false);
    case "externalId":
      return textWhere("externalId", comparison, true, true);
    case "createdAt":
      return timeWhere("createdAt", comparison);
    case "updatedAt":
      return timeWhere("updatedAt", comparison);
  }
}

function anyOf<Where>(filter: DirectoryFilter<string>, toWhere: (comparison: Comparison<string>) => Where): { OR: { AND: Where[] }[] } | object {
  if (filter.length === 0) return {};
  return { OR: filter.map((group) => ({ AND: group.map(toWhere) })) };
}

export class PrismaScimDirectory implements ProvisioningDirectory {
  constructor(private readonly prisma: PrismaClient) {}

  async listPeople(filter: DirectoryFilter<PersonField>, page: DirectoryPage) {
    const where: Prisma.UserWhereInput = { AND: [provisioned, anyOf(filter, (each) => personWhere(each as Comparison<PersonField>))] };
    const [rows, total] = await Promise.all([
      // Ids are UUIDv7: id order is creation order, so pages stay put while people are added.
      page.limit === 0 ? [] : this.prisma.user.findMany({ where, select: personSelect, orderBy: { id: "asc" }, skip: page.offset, take: page.limit }),
      this.prisma.user.count({ where }),
    ]);
    return { people: rows.map(toPerson), total };
  }

  async getPerson(id: string): Promise<ProvisionedPerson | null> {
    if (!uuidShape.test(id)) return null;
    const row = await this.prisma.user.findFirst({ where: { id, ...provisioned }, select: personSelect });
    return row ? toPerson(row) : null;
  }

  async missingPeople(ids: readonly string[]): Promise<string[]> {
    const wellFormed = ids.filter((id) => uuidShape.test(id));
    const found = await this.prisma.user.findMany({ where: { id: { in: wellFormed }, ...provisioned }, select: { id: true } });
    const present = new Set(found.map((row) => row.id));
    return [...new Set(ids)].filter((id) => !present.has(id));
  }

  async deprovision(id: string, actor: Actor): Promise<boolean> {
    if (!uuidShape.test(id)) return false;
    return this.prisma.$transaction(async (transaction) => {
      const marked = await transaction.user.updateMany({ where: { id, ...provisioned }, data: { deprovisionedAt: new Date() } });
      if (marked.count === 0) return false;
      await transaction.auditEntry.create({
        data: { actorId: actor.id, action: "person.deprovisioned", subjectUserId: id, resourceType: "person", resourceId: id, details: viaOf(actor) },
      });
      return true;
    });
  }

  async restore(email: string, actor: Actor): Promise<string | null> {
    return this.prisma.$transaction(async (transaction) => {
      const where = { email: email.toLowerCase(), isDemo: false, erasedAt: null, deprovisionedAt: { not: null } } satisfies Prisma.UserWhereInput;
      const row = await transaction.user.findFirst({ where, select: { id: true } });
      if (!row) return null;
      // Conditional on still being deprovisioned: of two restores racing, one restores.
      const restored = await transaction.user.updateMany({ where: { ...where, id: row.id }, data: { deprovisionedAt: null } });
      if (restored.count === 0) return null;
      await transaction.auditEntry.create({
        data: { actorId: actor.id, action: "person.restored", subjectUserId: row.id, resourceType: "person", resourceId: row.id, details: viaOf(actor) },
      });
      return row.id;
    });
  }

  async listTeams(filter: DirectoryFilter<TeamField>, page: DirectoryPage) {
    const where: Prisma.TeamWhereInput = { AND: [{ isDemo: false }, anyOf(filter, (each) => teamWhere(each as Comparison<TeamField>))] };
    const [rows, total] = await Promise.all([
      page.limit === 0 ? [] : this.prisma.team.findMany({ where, select: teamSelect, orderBy: { id: "asc" }, skip: page.offset, take: page.limit }),
      this.prisma.team.count({ where }),
    ]);
    return { teams: rows.map(toTeam), total };
  }

  async getTeam(id: string): Promise<ProvisionedTeam | null> {
    if (!uuidShape.test(id)) return null;
    const row = await this.prisma.team.findFirst({ where: { id, isDemo: false }, select: teamSelect });
    return row ? toTeam(row) : null;
  }
}

function viaOf(actor: Actor): Prisma.InputJsonObject {
  return actor.via ? { via: actor.via } : {};
}
