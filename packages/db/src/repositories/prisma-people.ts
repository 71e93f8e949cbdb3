import type { Actor, NewPerson, PeopleStore, PersonChange, PersonRecord, PersonWriteResult, TeamChange, TeamWriteResult } from "@spar/domain";
import type { AccountStatus, PeopleQuery, TeamDetail } from "@spar/protocol";
import { Prisma, type PrismaClient } from "../generated/prisma/client.ts";

type Transaction = Prisma.TransactionClient;

const personInclude = {
  teams: { include: { team: { select: { id: true, name: true } } } },
} satisfies Prisma.UserInclude;

type PersonRow = Prisma.UserGetPayload<{ include: typeof personInclude }>;

function statusOf(row: { disabledAt: Date | null; passwordHash: string | null; oidcSubject: string | null }): AccountStatus {
  if (row.disabledAt) return "deactivated";
  return row.passwordHash || row.oidcSubject ? "active" : "invited";
}

function toPerson(row: PersonRow): PersonRecord {
  const member = row.teams.find((each) => each.role === "member");
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    role: row.role,
    status: statusOf(row),
    team: member ? member.team : null,
    manages: row.teams.filter((each) => each.role === "manager").map((each) => each.team).sort((a, b) => a.name.localeCompare(b.name)),
    isDemo: row.isDemo,
    createdAt: row.createdAt,
  };
}

function statusWhere(status: AccountStatus | undefined): Prisma.UserWhereInput {
  if (status === "deactivated") return { disabledAt: { not: null } };
  if (status === "active") return { disabledAt: null, OR: [{ passwordHash: { not: null } }, { oidcSubject: { not: null } }] };
  if (status === "invited") return { disabledAt: null, passwordHash: null, oidcSubject: null };
  return {};
}

function uniqueViolation(error: unknown, field: string): boolean {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError) || error.code !== "P2002") return false;
  // The driver adapter reports the constraint's fields in meta; fall back to the message.
  return JSON.stringify(error.meta ?? {}).includes(field) || error.message.includes(field);
}

async function audit(transaction: Transaction, actor: Actor, action: string, subjectUserId: string | null, resourceType: string, resourceId: string | null, details: Record<string, unknown> = {}) {
  await transaction.auditEntry.create({
    data: {
      actorId: actor.id,
      action,
      subjectUserId,
      resourceType,
      resourceId,
      details: (actor.via ? { ...details, via: actor.via } : details) as Prisma.InputJsonObject,
    },
  });
}

// Serialises changes that could remove the last active L&D admin.
export const adminsLockKey = 7_317_712_003;

export class PrismaPeople implements PeopleStore {
  constructor(private readonly prisma: PrismaClient) {}

  async list(query: PeopleQuery) {
    const where: Prisma.UserWhereInput = {
      erasedAt: null,
      ...statusWhere(query.status),
      ...(query.role ? { role: query.role } : {}),
      ...(query.teamId ? { teams: { some: { teamId: query.teamId } } } : {}),
      ...(query.search
        ? { AND: [{ OR: [{ name: { contains: query.search, mode: "insensitive" } }, { email: { contains: query.search, mode: "insensitive" } }] }] }
        : {}),
    };
    const [rows, total] = await Promise.all([
      this.prisma.user.findMany({
        where,
        include: personInclude,
        // Ids are UUIDv7, so id order is creation order and a stable cursor.
        orderBy: { id: "asc" },
        take: query.limit + 1,
        ...(query.cursor ? { cursor: { id: query.cursor }, skip: 1 } : {}),
      }),
      this.prisma.user.count({ where }),
    ]);
    const page = rows.slice(0, query.limit);
    return { people: page.map(toPerson), nextCursor: rows.length > query.limit ? (page.at(-1)?.id ?? null) : null, total };
  }

  async get(id: string): Promise<PersonRecord | null> {
    const row = await this.prisma.user.findFirst({ where: { id, erasedAt: null }, include: personInclude });
    return row ? toPerson(row) : null;
  }

  async findByEmail(email: string): Promise<PersonRecord | null> {
    const row = await this.prisma.user.findFirst({ where: { email: email.toLowerCase(), erasedAt: null }, include: personInclude });
    return row ? toPerson(row) : null;
  }

  async create(person: NewPerson, actor: Actor): Promise<PersonWriteResult> {
    try {
      return await this.prisma.$transaction(async (transaction) => {
        if (person.teamId && !(await transaction.team.findUnique({ where: { id: person.teamId }, select: { id: true } }))) {
          return { ok: false, reason: "team-not-found" } as const;
        }
        const created = await transaction.user.create({
          data: {
            name: person.name,
            email: person.email.toLowerCase(),
            role: person.role,
            externalId: person.externalId ?? null,
            ...(person.teamId ? { teams: { create: { teamId: person.teamId, role: "member" } } } : {}),
          },
          include: personInclude,
        });
        await audit(transaction, actor, "person.created", created.id, "person", created.id, {
          email: created.email,
          role: created.role,
          team: created.teams[0]?.team.name ?? null,
        });
        return { ok: true, person: toPerson(created), changed: ["created"] } as const;
      });
    } catch (error) {
      if (uniqueViolation(error, "email")) return { ok: false, reason: "email-taken" };
      if (uniqueViolation(error, "externalId")) return { ok: false, reason: "external-id-taken" };
      throw error;
    }
  }

  async update(id: string, change: PersonChange, actor: Actor): Promise<PersonWriteResult> {
    try {
      return await this.prisma.$transaction(async (transaction) => {
        const removesAdmin = change.role !== undefined || change.active === false;
        if (removesAdmin) await transaction.$executeRaw`SELECT pg_advisory_xact_lock(${adminsLockKey}::bigint)`;
        const before = await transaction.user.findUnique({ where: { id }, include: personInclude });
        if (!before) return { ok: false, reason: "not-found" } as const;
        if (before.erasedAt) return { ok: false, reason: "erased" } as const;
        const wasActiveAdmin = before.role === "ld_admin" && before.disabledAt === null;
        const staysActiveAdmin = (change.role ?? before.role) === "ld_admin" && (change.active ?? before.disabledAt === null);
        if (wasActiveAdmin && !staysActiveAdmin) {
          const otherAdmins = await transaction.user.count({ where: { role: "ld_admin", disabledAt: null, erasedAt: null, id: { not: id } } });
          if (otherAdmins === 0) return { ok: false, reason: "last-admin" } as const;
        }
        const data: Prisma.UserUpdateInput = {};
        const changed: string[] = [];
        const details: Record<string, unknown> = {};
        const note = (field: string, from: unknown, to: unknown) => {
          changed.push(field);
          details[field] = { from, to };
        };
        if (change.name !== undefined && change.name !== before.name) {
          data.name = change.name;
          note("name", before.name, change.name);
        }
        if (change.email !== undefined && change.email.toLowerCase() !== before.email) {
          data.email = change.email.toLowerCase();
          note("email", before.email, data.email);
        }
        if (change.externalId !== undefined && change.externalId !== before.externalId) {
          data.externalId = change.externalId;
          note("externalId", before.externalId, change.externalId);
        }
        if (change.role !== undefined && change.role !== before.role) {
          data.role = change.role;
          note("role", before.role, change.role);
          // Only managers manage teams: someone who stops being one stops managing theirs.
          if (change.role !== "manager") await transaction.teamMember.deleteMany({ where: { userId: id, role: "manager" } });
        }
        const now = new Date();
        if (change.active === false && before.disabledAt === null) {
          data.disabledAt = now;
          changed.push("deactivated");
        }
        if (change.active === true && before.disabledAt !== null) {
          data.disabledAt = null;
          changed.push("reactivated");
        }
        if (change.teamId !== undefined) {
          const current = before.teams.find((each) => each.role === "member");
          if ((current?.teamId ?? null) !== change.teamId) {
            const team = change.teamId ? await transaction.team.findUnique({ where: { id: change.teamId }, select: { name: true } }) : null;
            if (change.teamId && !team) return { ok: false, reason: "team-not-found" } as const;
            await transaction.teamMember.deleteMany({ where: { userId: id, role: "member" } });
            if (change.teamId) {
              // A manager of that team who becomes a member of it keeps one row: as its manager.
              await transaction.teamMember.upsert({
                where: { teamId_userId: { teamId: change.teamId, userId: id } },
                create: { teamId: change.teamId, userId: id, role: "member" },
                update: {},
              });
            }
            note("team", current?.team.name ?? null, team?.name ?? null);
          }
        }
        if (Object.keys(data).length > 0) await transaction.user.update({ where: { id }, data });
        if (changed.includes("deactivated")) {
          // Every sign-in ends in the same transaction: no request after this sees the person signed in.
          await transaction.authSession.deleteMany({ where: { userId: id } });
          await audit(transaction, actor, "person.deactivated", id, "person", id);
        }
        if (changed.includes("reactivated")) await audit(transaction, actor, "person.reactivated", id, "person", id);
        if (Object.keys(details).length > 0) await audit(transaction, actor, "person.updated", id, "person", id, details);
        const after = await transaction.user.findUniqueOrThrow({ where: { id }, include: personInclude });
        return { ok: true, person: toPerson(after), changed } as const;
      });
    } catch (error) {
      if (uniqueViolation(error, "email")) return { ok: false, reason: "email-taken" };
      if (uniqueViolation(error, "externalId")) return { ok: false, reason: "external-id-taken" };
      throw error;
    }
  }

  async listTeams(): Promise<TeamDetail[]> {
    const teams = await this.prisma.team.findMany({ orderBy: { name: "asc" }, include: teamInclude });
    return teams.map(toTeamDetail);
  }

  async getTeam(id: string): Promise<TeamDetail | null> {
    const team = await this.prisma.team.findUnique({ where: { id }, include: teamInclude });
    return team ? toTeamDetail(team) : null;
  }

  async createTeam(team: { name: string; managerIds: string[]; externalId?: string | null }, actor: Actor): Promise<TeamWriteResult> {
    try {
      return await this.prisma.$transaction(async (transaction) => {
        const managers = await checkManagers(transaction, team.managerIds);
        if (!managers.ok) return managers;
        const created = await transaction.team.create({
          data: {
            name: team.name,
            externalId: team.externalId ?? null,
            members: { create: team.managerIds.map((userId) => ({ userId, role: "manager" as const })) },
          },
        });
        await audit(transaction, actor, "team.created", null, "team", created.id, { name: team.name, managers: managers.names });
        return { ok: true, team: toTeamDetail(await transaction.team.findUniqueOrThrow({ where: { id: created.id }, include: teamInclude })) } as const;
      });
    } catch (error) {
      if (uniqueViolation(error, "name")) return { ok: false, reason: "name-taken" };
      if (uniqueViolation(error, "externalId")) return { ok: false, reason: "external-id-taken" };
      throw error;
    }
  }

  async updateTeam(id: string, change: TeamChange, actor: Actor): Promise<TeamWriteResult> {
    try {
      return await this.prisma.$transaction(async (transaction) => {
        const before = await transaction.team.findUnique({ where: { id }, include: teamInclude });
        if (!before) return { ok: false, reason: "not-found" } as const;
        if (change.name !== undefined && change.name !== before.name) {
          await transaction.team.update({ where: { id }, data: { name: change.name } });
          await audit(transaction, actor, "team.renamed", null, "team", id, { from: before.name, to: change.name });
        }
        if (change.externalId !== undefined && change.externalId !== before.externalId) {
          await transaction.team.update({ where: { id }, data: { externalId: change.externalId } });
        }
        if (change.managerIds !== undefined) {
          const managers = await checkManagers(transaction, change.managerIds);
          if (!managers.ok) return managers;
          const current = before.members.filter((each) => each.role === "manager").map((each) => each.userId);
          const wanted = new Set(change.managerIds);
          const removed = current.filter((userId) => !wanted.has(userId));
          const added = change.managerIds.filter((userId) => !current.includes(userId));
          await transaction.teamMember.deleteMany({ where: { teamId: id, role: "manager", userId: { in: removed } } });
          for (const userId of added) {
            await transaction.teamMember.upsert({
              where: { teamId_userId: { teamId: id, userId } },
              create: { teamId: id, userId, role: "manager" },
              update: { role: "manager" },
            });
          }
          if (removed.length + added.length > 0) {
            await audit(transaction, actor, "team.managers_changed", null, "team", id, { team: before.name, added, removed });
          }
        }
        if (change.memberIds !== undefined) {
          const found = await transaction.user.count({ where: { id: { in: change.memberIds }, erasedAt: null } });
          if (found !== new Set(change.memberIds).size) return { ok: false, reason: "person-not-found" } as const;
          const current = before.members.filter((each) => each.role === "member").map((each) => each.userId);
          const wanted = new Set(change.memberIds);
          const removed = current.filter((userId) => !wanted.has(userId));
          const added = [...wanted].filter((userId) => !current.includes(userId));
          await transaction.teamMember.deleteMany({ where: { teamId: id, role: "member", userId: { in: removed } } });
          // A person practises in one team: joining this one leaves the other.
          await transaction.teamMember.deleteMany({ where: { userId: { in: added }, role: "member" } });
          await transaction.teamMember.createMany({ data: added.map((userId) => ({ teamId: id, userId, role: "member" as const })), skipDuplicates: true });
          if (removed.length + added.length > 0) {
            await audit(transaction, actor, "team.members_changed", null, "team", id, { team: before.name, added, removed });
          }
        }
        return { ok: true, team: toTeamDetail(await transaction.team.findUniqueOrThrow({ where: { id }, include: teamInclude })) } as const;
      });
    } catch (error) {
      if (uniqueViolation(error, "name")) return { ok: false, reason: "name-taken" };
      if (uniqueViolation(error, "externalId")) return { ok: false, reason: "external-id-taken" };
      throw error;
    }
  }

  async deleteTeam(id: string, actor: Actor): Promise<{ ok: boolean }> {
    return this.prisma.$transaction(async (transaction) => {
      const deleted = await transaction.team.deleteMany({ where: { id } });
      if (deleted.count === 0) return { ok: false };
      await audit(transaction, actor, "team.deleted", null, "team", id);
      return { ok: true };
    });
  }
}

const teamInclude = {
  members: { include: { user: { select: { id: true, name: true, email: true } } } },
} satisfies Prisma.TeamInclude;

type TeamRow = Prisma.TeamGetPayload<{ include: typeof teamInclude }>;

function toTeamDetail(team: TeamRow): TeamDetail {
  return {
    id: team.id,
    name: team.name,
    isDemo: team.isDemo,
    managers: team.members
      .filter((member) => member.role === "manager")
      .map((member) => member.user)
      .sort((a, b) => a.name.localeCompare(b.name)),
    memberCount: team.members.filter((member) => member.role === "member").length,
  };
}

/** Only active managers may manage a team. */
async function checkManagers(transaction: Transaction, managerIds: string[]) {
  if (managerIds.length === 0) return { ok: true, names: [] as string[] } as const;
  const managers = await transaction.user.findMany({ where: { id: { in: managerIds }, erasedAt: null }, select: { id: true, name: true, role: true } });
  if (managers.length !== new Set(managerIds).size) return { ok: false, reason: "person-not-found" } as const;
  if (managers.some((manager) => manager.role !== "manager")) return { ok: false, reason: "not-a-manager" } as const;
  return { ok: true, names: managers.map((manager) => manager.name) } as const;
}
