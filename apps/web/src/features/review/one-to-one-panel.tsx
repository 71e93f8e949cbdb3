import { type CurrentUser, LearnerHistory, ObservationView, OneToOneView, type PersonBriefView, sessionsSince } from "@spar/protocol";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { z } from "zod";
import { api } from "../../api/client.ts";
import { issuesByField } from "../../components/field.tsx";
import { ApiError } from "../../api/client.ts";
import { slugLabel } from "../../format.ts";

const competencies = [
  "active-listening",
  "powerful-questioning",
  "development-planning",
  "feedback-delivery",
  "sales-discovery",
  "objection-handling",
  "difficult-conversations",
];
const today = () => new Date().toISOString().slice(0, 10);
const lines = (text: string) =>
  text
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);

/** What was agreed last time and what happened since, and a record of today's one-to-one. */
export function OneToOnePanel({ brief, viewer }: { brief: PersonBriefView; viewer: CurrentUser }) {
  const learnerId = brief.learner.id;
  const client = useQueryClient();
  const records = useQuery({
    queryKey: ["one-to-ones", learnerId],
    queryFn: () => api(`/api/people/${learnerId}/one-to-ones`, z.object({ oneToOnes: z.array(OneToOneView) })),
  });
  const history = useQuery({
    queryKey: ["history", learnerId],
    queryFn: () => api(`/api/learners/${learnerId}/history`, LearnerHistory),
  });
  const [heldOn, setHeldOn] = useState(today());
  const [duration, setDuration] = useState("30");
  const [focus, setFocus] = useState(brief.stuck[0] ?? "");
  const [points, setPoints] = useState("");
  const [actions, setActions] = useState("");
  const [linked, setLinked] = useState("");
  const ids = {
    heldOn: useId(),
    duration: useId(),
    focus: useId(),
    points: useId(),
    actions: useId(),
    linked: useId(),
  };
  const save = useMutation({
    mutationFn: () =>
      api(`/api/people/${learnerId}/one-to-ones`, z.object({ oneToOne: OneToOneView }), {
        method: "POST",
        body: {
          heldOn,
          durationMinutes: Number(duration),
          ...(focus ? { focusCompetency: focus } : {}),
          keyPoints: lines(points),
          agreedActions: lines(actions).map((text, index) => ({
            text,
            ...(index === 0 && linked ? { assignmentId: linked } : {}),
          })),
        },
      }),
    onSuccess: async () => {
      setPoints("");
      setActions("");
      await client.invalidateQueries({ queryKey: ["one-to-ones", learnerId] });
    },
  });
  const errors = issuesByField(save.error instanceof ApiError ? save.error.issues : []);
  const last = records.data?.oneToOnes[0];
  const sinceLast = last ? sessionsSince(last, history.data?.sessions ?? []).length : 0;
  const manages = viewer.role === "manager" && viewer.id !== learnerId;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };

  return (
    <section className="card" aria-labelledby="one-to-one-heading">
      <h2 id="one-to-one-heading">One-to-ones</h2>
      {last ? (
        <div className="last-one-to-one">
          <h3>
            Last time: {new Date(`${last.heldOn}T12:00:00`).toLocaleDateString()} ({last.durationMinutes} min
            {last.focusCompetency ? `, focus ${slugLabel(last.focusCompetency)}` : ""})
          </h3>
          <ul>
            {last.keyPoints.map((point) => (
              <li key={point}>{point}</li>
            ))}
          </ul>
          {last.agreedActions.length > 0 && (
            <>
              <h4>Agreed</h4>
              <ul>
                {last.agreedActions.map((action) => (
                  <li key={action.text}>
                    {action.text}
                    {action.assignment && (
                      <span className={action.assignment.status === "completed" ? "done-badge" : "overdue-badge"}>
                        {action.assignment.status === "completed" ? "Practised" : "Not practised yet"}
                      </span>
                    )}
                  </li>
                ))}
              </ul>
            </>
          )}
          <p>
            <strong>Since then:</strong> {sinceLast} practice session{sinceLast === 1 ? "" : "s"}.
          </p>
        </div>
      ) : (
        <p>No one-to-one recorded yet.</p>
      )}
      {manages && (
        <form className="one-to-one-form" onSubmit={submit} aria-labelledby="record-heading">
          <h3 id="record-heading">Record today's one-to-one</h3>
          <div className="filters">
            <div className="filter">
              <label htmlFor={ids.heldOn}>Date</label>
              <input
                id={ids.heldOn}
                type="date"
                value={heldOn}
                onChange={(event) => setHeldOn(event.target.value)}
                required
              />
            </div>
            <div className="filter">
              <label htmlFor={ids.duration}>Minutes</label>
              <input
                id={ids.duration}
                type="number"
                min={5}
                max={240}
                value={duration}
                onChange={(event) => setDuration(event.target.value)}
                required
              />
            </div>
            <div className="filter">
              <label htmlFor={ids.focus}>Focus competency</label>
              <select id={ids.focus} value={focus} onChange={(event) => setFocus(event.target.value)}>
                <option value="">None</option>
                {competencies.map((competency) => (
                  <option key={competency} value={competency}>
                    {slugLabel(competency)}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <div className="field">
            <label htmlFor={ids.points}>Key points (one per line, up to five)</label>
            <textarea
              id={ids.points}
              rows={4}
              value={points}
              onChange={(event) => setPoints(event.target.value)}
              aria-invalid={errors.keyPoints ? true : undefined}
            />
            {errors.keyPoints && <p className="field-error">{errors.keyPoints}</p>}
          </div>
          <div className="field">
            <label htmlFor={ids.actions}>Agreed actions (one per line)</label>
            <textarea id={ids.actions} rows={3} value={actions} onChange={(event) => setActions(event.target.value)} />
          </div>
          {brief.openAssignments.length > 0 && (
            <div className="field">
              <label htmlFor={ids.linked}>Link the first action to an assignment</label>
              <select id={ids.linked} value={linked} onChange={(event) => setLinked(event.target.value)}>
                <option value="">No link</option>
                {brief.openAssignments.map((assignment) => (
                  <option key={assignment.id} value={assignment.id}>
                    {assignment.scenarioTitle}
                  </option>
                ))}
              </select>
            </div>
          )}
          {save.error && !Object.keys(errors).length && (
            <p className="form-error" role="alert">
              {save.error.message}
            </p>
          )}
          <button type="submit" className="button primary" disabled={save.isPending}>
            Save the one-to-one
          </button>
        </form>
      )}
    </section>
  );
}

/** What the manager saw in real work, beside the practice level for the same competency. */
export function ObservationsPanel({ brief, viewer }: { brief: PersonBriefView; viewer: CurrentUser }) {
  const learnerId = brief.learner.id;
  const client = useQueryClient();
  const observations = useQuery({
    queryKey: ["observations", learnerId],
    queryFn: () => api(`/api/people/${learnerId}/observations`, z.object({ observations: z.array(ObservationView) })),
  });
  const [competency, setCompetency] = useState(brief.trends[0]?.competency ?? competencies[0] ?? "");
  const [level, setLevel] = useState("2");
  const [note, setNote] = useState("");
  const [observedOn, setObservedOn] = useState(today());
  const ids = { competency: useId(), level: useId(), note: useId(), date: useId() };
  const save = useMutation({
    mutationFn: () =>
      api(`/api/people/${learnerId}/observations`, z.object({ observation: ObservationView }), {
        method: "POST",
        body: { competency, level: Number(level), note, observedOn },
      }),
    onSuccess: async () => {
      setNote("");
      await client.invalidateQueries({ queryKey: ["observations", learnerId] });
    },
  });
  const practiceLevel = (slug: string) => brief.trends.find((trend) => trend.competency === slug)?.points.at(-1)?.level;
  const manages = viewer.role === "manager" && viewer.id !== learnerId;

  return (
    <section className="card" aria-labelledby="observations-heading">
      <h2 id="observations-heading">Observed in real work</h2>
      {(observations.data?.observations.length ?? 0) === 0 ? (
        <p>No observations yet.</p>
      ) : (
        <ul className="observations">
          {observations.data?.observations.map((observation) => {
            const practised = practiceLevel(observation.competency);
            return (
              <li key={observation.id}>
                <strong>{slugLabel(observation.competency)}</strong>: observed level {observation.level}
                {practised !== undefined ? `, latest practice level ${practised.toFixed(1)}` : ", not practised yet"} (
                {new Date(`${observation.observedOn}T12:00:00`).toLocaleDateString()}, {observation.observer}):{" "}
                {observation.note}
              </li>
            );
          })}
        </ul>
      )}
      {manages && (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            if (note.trim()) save.mutate();
          }}
        >
          <div className="filters">
            <div className="filter">
              <label htmlFor={ids.competency}>Competency</label>
              <select id={ids.competency} value={competency} onChange={(event) => setCompetency(event.target.value)}>
                {competencies.map((slug) => (
                  <option key={slug} value={slug}>
                    {slugLabel(slug)}
                  </option>
                ))}
              </select>
            </div>
            <div className="filter">
              <label htmlFor={ids.level}>Level</label>
              <select id={ids.level} value={level} onChange={(event) => setLevel(event.target.value)}>
                {["1", "2", "3", "4"].map((value) => (
                  <option key={value} value={value}>
                    {value}
                  </option>
                ))}
              </select>
            </div>
            <div className="filter">
              <label htmlFor={ids.date}>Observed on</label>
              <input
                id={ids.date}
                type="date"
                value={observedOn}
                onChange={(event) => setObservedOn(event.target.value)}
              />
            </div>
          </div>
          <div className="field">
            <label htmlFor={ids.note}>What you saw</label>
            <textarea id={ids.note} rows={2} value={note} onChange={(event) => setNote(event.target.value)} />
          </div>
          {save.error && (
            <p className="form-error" role="alert">
              {save.error.message}
            </p>
          )}
          <button type="submit" className="button" disabled={save.isPending || !note.trim()}>
            Add observation
          </button>
        </form>
      )}
    </section>
  );
}
