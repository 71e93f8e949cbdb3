// An L&D admin brings people in by hand: teams with managers, people with invitation links they
// redeem once, role and team changes, deactivation that ends every sign-in and open socket at
// once, and an audit log of all of it. Real HTTP on PGlite and on PostgreSQL.
import type { DatabaseKind } from "@spar/db";
import { AccountLinkInfo, AuditPage, ErrorBody, PeoplePage, PersonCreated, TeamDetail } from "@spar/protocol";
import { firstAdminSignIn, ManualClock, startTestApp } from "@spar/server/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { PracticeClient } from "../fixtures/practice-client.ts";

const TeamResponse = z.object({ team: TeamDetail });
const cookieOf = (response: { headers: Record<string, unknown> }) => String(response.headers["set-cookie"]).split(";")[0] as string;
const tokenOf = (url: string | null) => (url ?? "").split("/").at(-1) as string;

describe.each<DatabaseKind>(["pglite", "postgresql"])("people and teams on %s", (kind) => {
  const clock = new ManualClock(new Date());
  let server: Awaited<ReturnType<typeof startTestApp>>;
  let baseUrl: string;
  let admin: string;

  beforeAll(async () => {
    server = await startTestApp(kind, { clock });
    baseUrl = await server.app.listen({ port: 0, host: "127.0.0.1" });
    admin = await firstAdminSignIn(server.app);
  });
  afterAll(() => server?.close());

  const call = (cookie: string | null, method: "GET" | "POST" | "PATCH" | "DELETE", url: string, payload?: object) =>
    server.app.inject({ method, url, headers: cookie ? { cookie } : {}, ...(payload ? { payload } : {}) });

  async function addPerson(name: string, email: string, role: "learner" | "manager" | "ld_admin", teamId: string | null = null) {
    const response = await call(admin, "POST", "/api/people", { name, email, role, teamId });
    expect(response.statusCode, response.body).toBe(201);
    return PersonCreated.parse(response.json());
  }

  async function join(created: z.infer<typeof PersonCreated>, password = "correct horse battery staple") {
    const response = await call(null, "POST", `/api/account-links/${tokenOf(created.link.url)}`, { password });
    expect(response.statusCode, response.body).toBe(200);
    return cookieOf(response);
  }

  it("creates a team with a manager, and a learner in it who joins through their invitation", async () => {
    const manager = await addPerson("Maya Chen", "maya.chen@example.com", "manager");
    expect(manager.person.status).toBe("invited");
    expect(manager.link).toMatchObject({ purpose: "invitation", delivery: "copy", mailError: null });
    expect(manager.link.url).toMatch(/\/welcome\/[\w-]{43}$/);

    const team = TeamResponse.parse((await call(admin, "POST", "/api/teams", { name: "Field Sales", managerIds: [manager.person.id] })).json()).team;
    expect(team.managers.map((each) => each.name)).toEqual(["Maya Chen"]);

    const learner = await addPerson("Omar Haddad", "Omar.Haddad@Example.com", "learner", team.id);
    expect(learner.person).toMatchObject({ email: "omar.haddad@example.com", team: { id: team.id, name: "Field Sales" } });

    const info = AccountLinkInfo.parse((await call(null, "GET", `/api/account-links/${tokenOf(learner.link.url)}`)).json());
    expect(info).toMatchObject({ purpose: "invitation", name: "Omar Haddad", email: "omar.haddad@example.com" });

    const omar = await join(learner);
    expect((await call(omar, "GET", "/api/auth/me")).json()).toMatchObject({ user: { email: "omar.haddad@example.com", role: "learner" } });
    const maya = await join(manager);
    const teams = (await call(maya, "GET", "/api/teams")).json() as { teams: { name: string; members: { name: string }[] }[] };
    expect(teams.teams.map((each) => [each.name, each.members.map((member) => member.name)])).toEqual([["Field Sales", ["Omar Haddad"]]]);
  });

  it("uses an invitation once, however many requests race on it, and never after it expired", async () => {
    const created = await addPerson("Race Once", "race.once@example.com", "learner");
    const token = tokenOf(created.link.url);
    const attempts = await Promise.all(
      Array.from({ length: 6 }, () => call(null, "POST", `/api/account-links/${token}`, { password: "a perfectly fine passphrase" })),
    );
    expect(attempts.map((response) => response.statusCode).sort()).toEqual([200, 410, 410, 410, 410, 410]);
    expect(ErrorBody.parse(attempts.find((response) => response.statusCode === 410)?.json()).error.code).toBe("LINK_INVALID");

    const late = await addPerson("Late Comer", "late.comer@example.com", "learner");
    clock.advance(7 * 24 * 3_600_000 + 1_000);
    expect((await call(null, "GET", `/api/account-links/${tokenOf(late.link.url)}`)).statusCode).toBe(410);
    // A week on, the admin's own sign-in has expired too.
    admin = cookieOf(await call(null, "POST", "/api/auth/sign-in", { email: "ines.admin@example.com", password: "a long admin passphrase" }));
    const renewed = await call(admin, "POST", `/api/people/${late.person.id}/invitation`);
    expect(renewed.statusCode).toBe(201);
    await join({ ...late, link: renewed.json() as typeof late.link });
  });

  it("refuses a common or short password on an invitation, and keeps the link usable", async () => {
    const created = await addPerson("Weak Choice", "weak.choice@example.com", "learner");
    const token = tokenOf(created.link.url);
    const common = await call(null, "POST", `/api/account-links/${token}`, { password: "password1234" });
    expect(common.statusCode).toBe(400);
    expect(ErrorBody.parse(common.json()).error.issues?.[0]).toMatchObject({ path: "password" });
    expect((await call(null, "POST", `/api/account-links/${token}`, { password: "short" })).statusCode).toBe(400);
    expect((await call(null, "POST", `/api/account-links/${token}`, { password: "an uncommon long phrase" })).statusCode).toBe(200);
  });

  it("names what is wrong with a bad person: duplicate e-mail, unknown role, unknown team", async () => {
    const duplicate = await call(admin, "POST", "/api/people", { name: "Again", email: "OMAR.HADDAD@example.com", role: "learner" });
    expect(duplicate.statusCode).toBe(409);
    expect(ErrorBody.parse(duplicate.json()).error.message).toBe("Someone already has that e-mail address.");
    const role = await call(admin, "POST", "/api/people", { name: "X", email: "x@example.com", role: "boss" });
    expect(role.statusCode).toBe(400);
    expect(ErrorBody.parse(role.json()).error.issues?.map((issue) => issue.path)).toEqual(["role"]);
    const team = await call(admin, "POST", "/api/people", { name: "X", email: "x@example.com", role: "learner", teamId: "00000000-0000-7000-8000-000000000000" });
    expect(team.statusCode).toBe(400);
    expect((await call(admin, "GET", "/api/people?search=x@example.com")).json()).toMatchObject({ total: 0 });
  });

  it("deactivates a person: their cookie stops working, sign-in is refused and their open socket closes at once", async () => {
    const created = await addPerson("Soon Gone", "soon.gone@example.com", "learner");
    const cookie = await join(created);
    const socket = await PracticeClient.connect(baseUrl, cookie);
    const deactivated = await call(admin, "PATCH", `/api/people/${created.person.id}`, { active: false });
    expect(deactivated.json()).toMatchObject({ person: { status: "deactivated" } });
    expect(await socket.closed).toMatchObject({ code: 4001 });
    expect((await call(cookie, "GET", "/api/auth/me")).statusCode).toBe(401);
    const signIn = await call(null, "POST", "/api/auth/sign-in", { email: "soon.gone@example.com", password: "correct horse battery staple" });
    expect(signIn.statusCode).toBe(401);
    await expect(PracticeClient.connect(baseUrl, cookie)).rejects.toThrow(/401/);

    await call(admin, "PATCH", `/api/people/${created.person.id}`, { active: true });
    const again = await call(null, "POST", "/api/auth/sign-in", { email: "soon.gone@example.com", password: "correct horse battery staple" });
    expect(again.statusCode).toBe(200);
  });

  it("changes a role and a team, and lists people by search, role and status", async () => {
    const created = await addPerson("Role Change", "role.change@example.com", "learner");
    await addPerson("Still Invited", "still.invited@example.com", "learner");
    const teamB = TeamResponse.parse((await call(admin, "POST", "/api/teams", { name: "Inside Sales" })).json()).team;
    const changed = await call(admin, "PATCH", `/api/people/${created.person.id}`, { role: "manager", teamId: teamB.id, name: "Role Changed" });
    expect(changed.json()).toMatchObject({ person: { role: "manager", name: "Role Changed", team: { name: "Inside Sales" } } });
    const managers = PeoplePage.parse((await call(admin, "GET", "/api/people?role=manager")).json());
    expect(managers.people.map((person) => person.name).sort()).toEqual(["Maya Chen", "Role Changed"]);
    const invited = PeoplePage.parse((await call(admin, "GET", "/api/people?status=invited&limit=1")).json());
    expect(invited.people).toHaveLength(1);
    expect(invited.nextCursor).not.toBeNull();
    const next = PeoplePage.parse((await call(admin, "GET", `/api/people?status=invited&limit=1&cursor=${invited.nextCursor}`)).json());
    expect(next.people[0]?.id).not.toBe(invited.people[0]?.id);
  });

  it("renames and deletes a team; its members stay, teamless", async () => {
    const team = TeamResponse.parse((await call(admin, "POST", "/api/teams", { name: "Temporary" })).json()).team;
    const person = await addPerson("In Temp", "in.temp@example.com", "learner", team.id);
    expect((await call(admin, "PATCH", `/api/teams/${team.id}`, { name: "Field Sales" })).statusCode).toBe(409);
    expect((await call(admin, "PATCH", `/api/teams/${team.id}`, { name: "Short-lived" })).json()).toMatchObject({ team: { name: "Short-lived", memberCount: 1 } });
    expect((await call(admin, "DELETE", `/api/teams/${team.id}`)).statusCode).toBe(204);
    expect((await call(admin, "GET", `/api/people/${person.person.id}`)).json()).toMatchObject({ person: { team: null } });
    expect((await call(admin, "DELETE", `/api/teams/${team.id}`)).statusCode).toBe(404);
  });

  it("never leaves the organisation without an active L&D admin, even when two admins demote each other at once", async () => {
    const second = await addPerson("Second Admin", "second.admin@example.com", "ld_admin");
    const secondCookie = await join(second);
    const me = (await call(admin, "GET", "/api/auth/me")).json() as { user: { id: string } };
    const [first, other] = await Promise.all([
      call(admin, "PATCH", `/api/people/${second.person.id}`, { role: "learner" }),
      call(secondCookie, "PATCH", `/api/people/${me.user.id}`, { active: false }),
    ]);
    expect([first.statusCode, other.statusCode].sort()).toEqual([200, 409]);
    const activeAdmins = await server.database.prisma.user.count({ where: { role: "ld_admin", disabledAt: null } });
    expect(activeAdmins).toBe(1);
    // Put things back for the tests after this one: the first admin active and signed in.
    if (other.statusCode === 200) {
      await call(secondCookie, "PATCH", `/api/people/${me.user.id}`, { active: true });
      admin = cookieOf(await call(null, "POST", "/api/auth/sign-in", { email: "ines.admin@example.com", password: "a long admin passphrase" }));
    }
  });

  it("lets a signed-in person change their password: their other sign-ins end, this one stays", async () => {
    const created = await addPerson("Pass Changer", "pass.changer@example.com", "learner");
    const here = await join(created, "the first long phrase");
    const elsewhere = cookieOf(await call(null, "POST", "/api/auth/sign-in", { email: "pass.changer@example.com", password: "the first long phrase" }));
    const wrong = await call(here, "POST", "/api/auth/password", { currentPassword: "not it", newPassword: "the second long phrase" });
    expect(wrong.statusCode).toBe(400);
    expect(ErrorBody.parse(wrong.json()).error.issues).toEqual([{ path: "currentPassword", message: "Your current password is not right." }]);
    const common = await call(here, "POST", "/api/auth/password", { currentPassword: "the first long phrase", newPassword: "1234567890" });
    expect(ErrorBody.parse(common.json()).error.issues?.[0]?.path).toBe("newPassword");
    expect((await call(here, "POST", "/api/auth/password", { currentPassword: "the first long phrase", newPassword: "the second long phrase" })).statusCode).toBe(204);
    expect((await call(here, "GET", "/api/auth/me")).statusCode).toBe(200);
    expect((await call(elsewhere, "GET", "/api/auth/me")).statusCode).toBe(401);
    expect((await call(null, "POST", "/api/auth/sign-in", { email: "pass.changer@example.com", password: "the second long phrase" })).statusCode).toBe(200);
  });

  it("keeps learners and managers out of people admin", async () => {
    const learner = await addPerson("Not Admin", "not.admin@example.com", "learner");
    const cookie = await join(learner);
    for (const [method, url] of [
      ["GET", "/api/people"],
      ["POST", "/api/people"],
      ["GET", "/api/audit"],
      ["GET", "/api/admin/teams"],
      ["POST", "/api/teams"],
    ] as const) {
      expect((await call(cookie, method, url, method === "POST" ? {} : undefined)).statusCode, `${method} ${url}`).toBe(403);
    }
  });

  it("writes every change to the audit log, filterable by person and by action", async () => {
    const omar = PeoplePage.parse((await call(admin, "GET", "/api/people?search=omar")).json()).people[0];
    const forOmar = AuditPage.parse((await call(admin, "GET", `/api/audit?personId=${omar?.id}`)).json());
    expect(forOmar.entries.map((entry) => entry.action).reverse()).toEqual(["person.created", "invitation.issued", "invitation.accepted"]);
    expect(forOmar.entries.at(-1)?.actor?.name).toBe("Ines Admin");
    const deactivations = AuditPage.parse((await call(admin, "GET", "/api/audit?action=person.deactivated")).json());
    expect(deactivations.entries.map((entry) => entry.subject?.name)).toContain("Soon Gone");
    const teams = AuditPage.parse((await call(admin, "GET", "/api/audit?action=team.")).json());
    expect(new Set(teams.entries.map((entry) => entry.action))).toEqual(new Set(["team.created", "team.renamed", "team.deleted"]));
    expect(teams.actions).toEqual(expect.arrayContaining(["person.created", "team.created", "invitation.accepted"]));
  });
});
