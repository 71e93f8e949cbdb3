import type { TeamDirectory } from "@spar/domain";
import type { TeamSummary } from "@spar/protocol";
import type { PrismaClient } from "../generated/prisma/client.ts";

export class PrismaTeamDirectory implements TeamDirectory {
  constructor(private readonly prisma: PrismaClient) {}

  async managersOf(userId: string): Promise<string[]> {
    const rows = await this.prisma.teamMember.findMany({
      where: { role: "manager", team: { members: { some: { userId, role: "member" } } } },
      select: { userId: true },
    });
    return rows.map((row) => row.userId);
  }

  async listTeams(filter: { managedBy?: string } = {}): Promise<TeamSummary[]> {
    const teams = await this.prisma.team.findMany({
      where: filter.managedBy ? { members: { some: { userId: filter.managedBy, role: "manager" } } } : {},
      orderBy: { name: "asc" },
      include: { members: { include: { user: true }, orderBy: { user: { name: "asc" } } } },
    });
    return teams.map((team) => ({
      id: team.id,
      name: team.name,
      managers: team.members
        .filter((member) => member.role === "manager")
        .map(({ user }) => ({ id: user.id, name: user.name })),
      members: team.members
        .filter((member) => member.role === "member")
        .map(({ user }) => ({ id: user.id, name: user.name, email: user.email })),
    }));
  }
}
