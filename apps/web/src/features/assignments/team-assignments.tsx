import { ScenarioSummary, TeamAssignment, type TeamSummary } from "@spar/protocol";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { z } from "zod";
import { api } from "../../api/client.ts";

const Assignments = z.object({ assignments: z.array(TeamAssignment) });
const Scenarios = z.object({ scenarios: z.array(ScenarioSummary) });

/** Assign practice to one person or the whole team, and see who has done it. */
export function TeamAssignments({ team }: { team: TeamSummary }) {
  const client = useQueryClient();
  const scenarios = useQuery({ queryKey: ["scenarios"], queryFn: () => api("/api/scenarios", Scenarios) });
  const assignments = useQuery({
    queryKey: ["assignments", team.id],
    queryFn: () => api(`/api/teams/${team.id}/assignments`, Assignments),
  });
  const [scenarioId, setScenarioId] = useState("");
  const [who, setWho] = useState("team");
  const [due, setDue] = useState("");
  const ids = { scenario: useId(), who: useId(), due: useId() };
  const assign = useMutation({
    mutationFn: () =>
      api("/api/assignments", z.object({ assignment: TeamAssignment }), {
        method: "POST",
        body: {
          scenarioId,
          ...(who === "team" ? { teamId: team.id } : { learnerIds: [who] }),
          // Due on a day means by the end of it, in the manager's time zone.
          ...(due ? { dueAt: new Date(`${due}T23:59:59`).toISOString() } : {}),
        },
      }),
    onSuccess: async () => {
      setScenarioId("");
      await client.invalidateQueries({ queryKey: ["assignments", team.id] });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (scenarioId) assign.mutate();
  };

  return (
    <div className="team-assignments">
      <h4>Assign practice</h4>
      <form className="filters" onSubmit={submit}>
        <div className="filter">
          <label htmlFor={ids.scenario}>Scenario</label>
          <select id={ids.scenario} value={scenarioId} onChange={(event) => setScenarioId(event.target.value)} required>
            <option value="">Choose…</option>
            {scenarios.data?.scenarios.map((scenario) => (
              <option key={scenario.id} value={scenario.id}>
                {scenario.title}
              </option>
            ))}
          </select>
        </div>
        <div className="filter">
          <label htmlFor={ids.who}>To</label>
          <select id={ids.who} value={who} onChange={(event) => setWho(event.target.value)}>
            <option value="team">The whole team</option>
            {team.members.map((member) => (
              <option key={member.id} value={member.id}>
                {member.name}
              </option>
            ))}
          </select>
        </div>
        <div className="filter">
          <label htmlFor={ids.due}>Due</label>
          <input id={ids.due} type="date" min={localToday()} value={due} onChange={(event) => setDue(event.target.value)} />
        </div>
        <div className="filter filter-action">
          <button type="submit" className="button primary" disabled={!scenarioId || assign.isPending}>
            Assign
          </button>
        </div>
      </form>
      {assign.error && (
        <p className="form-error" role="alert">
          {assign.error.message}
        </p>
      )}
      {(assignments.data?.assignments.length ?? 0) > 0 && (
        <ul className="plain-list assignment-status">
          {assignments.data?.assignments.map((assignment) => (
            <li key={assignment.id}>
              <strong>{assignment.scenario.title}</strong>
              {assignment.dueAt ? `, due ${new Date(assignment.dueAt).toLocaleDateString()}` : ""}:{" "}
              {assignment.people
                .map(
                  (person) =>
                    `${person.name} ${person.status === "completed" ? "done" : person.overdue ? "overdue" : "to do"}`,
                )
                .join(" · ")}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Today as the date input writes it (YYYY-MM-DD), in the browser's time zone. */
function localToday(): string {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, "0")}-${String(now.getDate()).padStart(2, "0")}`;
}
