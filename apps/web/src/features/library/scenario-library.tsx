import { ScenarioSummary } from "@spar/protocol";
import { useQuery } from "@tanstack/react-query";
import { useId, useMemo, useState } from "react";
import { Link } from "react-router";
import { z } from "zod";
import { api } from "../../api/client.ts";
import { slugLabel } from "../../format.ts";
import { LoadError } from "../../components/load-error.tsx";

const ScenariosResponse = z.object({ scenarios: z.array(ScenarioSummary) });

export const familyLabels: Record<string, string> = {
  "sales-call": "Sales call",
  "difficult-conversation": "Difficult conversation",
  "feedback-delivery": "Feedback",
  coaching: "Coaching",
};

function Select({
  label,
  value,
  options,
  onChange,
}: {
  label: string;
  value: string;
  options: [string, string][];
  onChange: (value: string) => void;
}) {
  const id = useId();
  return (
    <div className="filter">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(event) => onChange(event.target.value)}>
        <option value="">All</option>
        {options.map(([optionValue, optionLabel]) => (
          <option key={optionValue} value={optionValue}>
            {optionLabel}
          </option>
        ))}
      </select>
    </div>
  );
}

/** Every scenario a learner can practise, filterable by family, difficulty and competency. */
export function ScenarioLibrary() {
  const scenarios = useQuery({ queryKey: ["scenarios"], queryFn: () => api("/api/scenarios", ScenariosResponse) });
  const [family, setFamily] = useState("");
  const [difficulty, setDifficulty] = useState("");
  const [competency, setCompetency] = useState("");
  const [search, setSearch] = useState("");
  const searchId = useId();
  const all = scenarios.data?.scenarios ?? [];
  const shown = useMemo(
    () =>
      all.filter(
        (scenario) =>
          (!family || scenario.family === family) &&
          (!difficulty || scenario.difficulty === difficulty) &&
          (!competency || scenario.competency === competency) &&
          (!search || scenario.title.toLowerCase().includes(search.trim().toLowerCase())),
      ),
    [all, family, difficulty, competency, search],
  );
  const unique = (values: string[]) =>
    [...new Set(values)].sort().map((value): [string, string] => [value, familyLabels[value] ?? slugLabel(value)]);

  return (
    <section aria-labelledby="library-heading">
      <h2 id="library-heading">Practise a conversation</h2>
      <div className="filters">
        <div className="filter">
          <label htmlFor={searchId}>Search by title</label>
          <input id={searchId} type="search" value={search} onChange={(event) => setSearch(event.target.value)} />
        </div>
        <Select
          label="Family"
          value={family}
          options={unique(all.map((scenario) => scenario.family))}
          onChange={setFamily}
        />
        <Select
          label="Difficulty"
          value={difficulty}
          options={unique(all.map((scenario) => scenario.difficulty))}
          onChange={setDifficulty}
        />
        <Select
          label="Competency"
          value={competency}
          options={unique(all.map((scenario) => scenario.competency))}
          onChange={setCompetency}
        />
      </div>
      {scenarios.isPending && <p className="loading">Loading scenarios…</p>}
      {scenarios.isError && <LoadError error={scenarios.error} what="the scenario library" onRetry={() => scenarios.refetch()} />}
      <p className="muted" role="status">
        {scenarios.isSuccess ? `${shown.length} of ${all.length} scenarios` : ""}
      </p>
      <ul className="scenario-grid">
        {shown.map((scenario) => (
          <li key={scenario.id} className="card scenario-card">
            <h3>
              <Link to={`/practice/${scenario.id}`}>{scenario.title}</Link>
            </h3>
            <p>{scenario.summary}</p>
            <p className="muted">
              {familyLabels[scenario.family]} · {slugLabel(scenario.difficulty)} · {slugLabel(scenario.competency)} ·{" "}
              {scenario.estimatedMinutes} min
            </p>
          </li>
        ))}
      </ul>
    </section>
  );
}
