// Planning an import against what Spar holds: who is created or changed, which teams are made and
// who manages them, and every rule that needs the database's state, each refusal on its line.
import { type ExistingPerson, type ImportRow, type ImportSnapshot, managerTeamName, planImport } from "@spar/domain";
import { describe, expect, it } from "vitest";

function row(email: string, name: string, role: ImportRow["role"], team: string | null = null, managerEmail: string | null = null): ImportRow {
  return { line: 0, email, name, role, team, managerEmail };
}
/** A file of these rows under a header: the first row is on line 2. */
function rows(...list: ImportRow[]): ImportRow[] {
  return list.map((each, index) => ({ ...each, line: index + 2 }));
}
function person(email: string, fields: Partial<ExistingPerson> = {}): ExistingPerson {
  return { id: `id-${email}`, email, name: email.split("@")[0] ?? email, role: "learner", deactivated: false, erased: false, deprovisioned: false, memberships: [], ...fields };
}
const empty: ImportSnapshot = { people: [], teams: [], activeAdmins: 1 };

function planned(file: ImportRow[], snapshot: ImportSnapshot) {
  const decision = planImport(file, snapshot);
  if (!decision.ok) throw new Error(`expected a plan, got ${JSON.stringify(decision.problems)}`);
  return decision.plan;
}
function refused(file: ImportRow[], snapshot: ImportSnapshot) {
  const decision = planImport(file, snapshot);
  if (decision.ok) throw new Error("expected problems, got a plan");
  return decision.problems;
}

describe("planning an import", () => {
  it("creates people and their teams on an empty organisation, each team managed by the manager its rows name", () => {
    const plan = planned(
      rows(
        row("maya@example.com", "Maya Chen", "manager", "Field Sales"),
        row("ana@example.com", "Ana Lima", "learner", "Field Sales", "maya@example.com"),
        row("ben@example.com", "Ben Ode", "learner", null, "maya@example.com"),
        row("raj@example.com", "Raj Patel", "manager"),
        row("cy@example.com", "Cy Young", "learner", null, "raj@example.com"),
        row("ines@example.com", "Ines", "ld_admin"),
      ),
      empty,
    );
    expect(plan.newTeams).toEqual([
      { name: "Field Sales", managers: ["maya@example.com"] },
      { name: "Raj Patel's team", managers: ["raj@example.com"] },
    ]);
    expect(plan.newPeople.map((each) => [each.email, each.role, each.team])).toEqual([
      ["maya@example.com", "manager", "Field Sales"],
      ["ana@example.com", "learner", "Field Sales"],
      // No team given: the one team their manager manages.
      ["ben@example.com", "learner", "Field Sales"],
      ["raj@example.com", "manager", null],
      ["cy@example.com", "learner", "Raj Patel's team"],
      ["ines@example.com", "ld_admin", null],
    ]);
    expect(plan.managerships).toEqual([
      { email: "maya@example.com", team: "Field Sales" },
      { email: "raj@example.com", team: "Raj Patel's team" },
    ]);
    expect(plan.report).toEqual({
      created: ["maya@example.com", "ana@example.com", "ben@example.com", "raj@example.com", "cy@example.com", "ines@example.com"],
      changed: [],
      unchanged: 0,
      teamsCreated: ["Field Sales", "Raj Patel's team"],
    });
  });

  it("changes nothing when Spar already matches the file, including a manager who practises in the team they manage", () => {
    const snapshot: ImportSnapshot = {
      teams: [{ id: "t-sales", name: "Field Sales" }],
      people: [
        person("maya@example.com", { name: "Maya Chen", role: "manager", memberships: [{ teamId: "t-sales", role: "manager" }] }),
        person("ana@example.com", { name: "Ana Lima", memberships: [{ teamId: "t-sales", role: "member" }] }),
      ],
      activeAdmins: 1,
    };
    const plan = planned(
      rows(row("maya@example.com", "Maya Chen", "manager", "Field Sales"), row("ana@example.com", "Ana Lima", "learner", null, "maya@example.com")),
      snapshot,
    );
    expect(plan).toMatchObject({ newTeams: [], newPeople: [], changedPeople: [], memberships: [], managerships: [], managingEnds: [] });
    expect(plan.report).toEqual({ created: [], changed: [], unchanged: 2, teamsCreated: [] });
  });

  it("changes name, role and team where they differ, and a manager who stops being one stops managing", () => {
    const snapshot: ImportSnapshot = {
      teams: [
        { id: "t-sales", name: "Field Sales" },
        { id: "t-support", name: "Support" },
      ],
      people: [
        person("ana@example.com", { name: "Ana", memberships: [{ teamId: "t-sales", role: "member" }] }),
        person("maya@example.com", { name: "Maya Chen", role: "manager", memberships: [{ teamId: "t-sales", role: "manager" }] }),
      ],
      activeAdmins: 1,
    };
    const plan = planned(rows(row("ana@example.com", "Ana Lima", "learner", "support"), row("maya@example.com", "Maya Chen", "learner", "Field Sales")), snapshot);
    expect(plan.changedPeople).toEqual([
      { id: "id-ana@example.com", email: "ana@example.com", name: "Ana Lima", role: "learner", changes: { name: { from: "Ana", to: "Ana Lima" }, team: { from: "Field Sales", to: "Support" } } },
      // Her manager's row there goes with the role, so she joins the team as a member.
      { id: "id-maya@example.com", email: "maya@example.com", name: "Maya Chen", role: "learner", changes: { role: { from: "manager", to: "learner" }, team: { from: null, to: "Field Sales" } } },
    ]);
    expect(plan.managingEnds).toEqual(["id-maya@example.com"]);
    // "support" is the existing team Support, not a new one.
    expect(plan.memberships).toEqual([
      { email: "ana@example.com", team: "Support" },
      { email: "maya@example.com", team: "Field Sales" },
    ]);
    expect(plan.newTeams).toEqual([]);
    expect(plan.report).toMatchObject({ changed: ["ana@example.com", "maya@example.com"], unchanged: 0 });
  });

  it("leaves an existing person's team alone when the row names none, and spells a new team as the file first did", () => {
    const snapshot: ImportSnapshot = { teams: [{ id: "t-sales", name: "Field Sales" }], people: [person("ana@example.com", { name: "Ana", memberships: [{ teamId: "t-sales", role: "member" }] })], activeAdmins: 1 };
    const plan = planned(rows(row("ana@example.com", "Ana", "learner"), row("ben@example.com", "Ben", "learner", "Night Shift"), row("cy@example.com", "Cy", "learner", "night shift")), snapshot);
    expect(plan.report).toMatchObject({ unchanged: 1, teamsCreated: ["Night Shift"] });
    expect(plan.memberships).toEqual([
      { email: "ben@example.com", team: "Night Shift" },
      { email: "cy@example.com", team: "Night Shift" },
    ]);
  });

  it("counts a manager outside the file who takes on a team as changed", () => {
    const snapshot: ImportSnapshot = { teams: [], people: [person("raj@example.com", { name: "Raj Patel", role: "manager" })], activeAdmins: 1 };
    const plan = planned(rows(row("cy@example.com", "Cy", "learner", "Ops", "raj@example.com")), snapshot);
    expect(plan.managerships).toEqual([{ email: "raj@example.com", team: "Ops" }]);
    expect(plan.report).toEqual({ created: ["cy@example.com"], changed: ["raj@example.com"], unchanged: 0, teamsCreated: ["Ops"] });
    expect(plan.changedPeople).toEqual([{ id: "id-raj@example.com", email: "raj@example.com", name: "Raj Patel", role: "manager", changes: { manages: { added: ["Ops"] } } }]);
  });

  it("refuses a manager_email that is not a manager, unknown, deactivated or erased, on each row that names them", () => {
    const snapshot: ImportSnapshot = {
      teams: [],
      people: [
        person("lee@example.com", { role: "learner" }),
        person("gone@example.com", { role: "manager", deactivated: true }),
        person("erased@example.com", { role: "manager", erased: true }),
      ],
      activeAdmins: 1,
    };
    const problems = refused(
      rows(
        row("bo@example.com", "Bo", "learner", "A", "lee@example.com"),
        row("kim@example.com", "Kim", "learner", null, "ann@example.com"),
        row("ann@example.com", "Ann", "learner"),
        row("jo@example.com", "Jo", "learner", null, "nobody@example.com"),
        row("al@example.com", "Al", "learner", "B", "gone@example.com"),
        row("ed@example.com", "Ed", "learner", "C", "erased@example.com"),
      ),
      snapshot,
    );
    expect(problems).toEqual([
      { line: 2, message: "manager lee@example.com is not a manager (their role in Spar is learner); add a row for them with the role manager" },
      { line: 3, message: "manager ann@example.com is not a manager: line 4 gives them the role learner" },
      { line: 5, message: "manager nobody@example.com is neither in the file nor in Spar" },
      { line: 6, message: "manager gone@example.com is deactivated; reactivate them or name another manager" },
      { line: 7, message: "manager erased@example.com is no longer in Spar" },
    ]);
  });

  it("does not blame a manager whose own row already failed the file's checks", () => {
    const decision = planImport(rows(row("bo@example.com", "Bo", "learner", "A", "maya@example.com")), empty, ["maya@example.com"]);
    expect(decision.ok).toBe(true);
  });

  it("refuses the address of an erased or deprovisioned person", () => {
    const snapshot: ImportSnapshot = { teams: [], people: [person("old@example.com", { erased: true }), person("left@example.com", { deprovisioned: true, deactivated: true })], activeAdmins: 1 };
    expect(refused(rows(row("old@example.com", "Old", "learner"), row("left@example.com", "Left", "learner")), snapshot)).toEqual([
      { line: 2, message: "old@example.com belonged to a person whose data was erased; use another address" },
      { line: 3, message: "left@example.com was removed by the organisation's directory (SCIM); add them back there" },
    ]);
  });

  it("asks for a team when the manager of a row without one manages several", () => {
    const snapshot: ImportSnapshot = {
      teams: [
        { id: "t-a", name: "Alpha" },
        { id: "t-b", name: "Beta" },
      ],
      people: [person("maya@example.com", { role: "manager", memberships: [{ teamId: "t-b", role: "manager" }, { teamId: "t-a", role: "manager" }] })],
      activeAdmins: 1,
    };
    expect(refused(rows(row("ana@example.com", "Ana", "learner", null, "maya@example.com")), snapshot)).toEqual([
      { line: 2, message: "manager maya@example.com manages several teams (Alpha, Beta); name the team in the team column" },
    ]);
    // Named in the file, the team is the one the row says.
    expect(planned(rows(row("ana@example.com", "Ana", "learner", "Beta", "maya@example.com")), snapshot).memberships).toEqual([{ email: "ana@example.com", team: "Beta" }]);
  });

  it("never leaves the organisation without an active L&D admin", () => {
    const snapshot: ImportSnapshot = { teams: [], people: [person("ines@example.com", { role: "ld_admin" })], activeAdmins: 1 };
    expect(refused(rows(row("ines@example.com", "Ines", "learner")), snapshot)).toEqual([
      { line: 2, message: "ines@example.com would leave the organisation without an active L&D admin; keep one row with the role ld_admin" },
    ]);
    // Someone else becoming an admin in the same file is enough.
    expect(planned(rows(row("ines@example.com", "Ines", "learner"), row("omar@example.com", "Omar", "ld_admin")), snapshot).report.created).toEqual(["omar@example.com"]);
  });

  it("cuts a long manager's team name to the 80 characters a team name may have", () => {
    const name = managerTeamName("M".repeat(120));
    expect(name).toHaveLength(80);
    expect(name.endsWith("'s team")).toBe(true);
  });
});
