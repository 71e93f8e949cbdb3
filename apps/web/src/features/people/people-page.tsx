import type { AccountStatus, Person, Role } from "@spar/protocol";
import { useId, useState } from "react";
import { Link } from "react-router";
import { useDebounced } from "../../use-debounced.ts";
import { roleLabels } from "../auth/sign-in-page.tsx";
import { AddPersonForm } from "./add-person-form.tsx";
import { roleOptions } from "./role-and-team-fields.tsx";
import { type PeopleFilters, statusLabels, useAdminTeams, usePeoplePages } from "./people-queries.ts";
import { RemoveDemoNotice } from "./remove-demo-notice.tsx";

function FilterSelect({
  label,
  value,
  onChange,
  options,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  options: { value: string; label: string }[];
}) {
  const id = useId();
  return (
    <div className="filter">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(event) => onChange(event.target.value)}>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}

function PersonRow({ person }: { person: Person }) {
  return (
    <tr>
      <th scope="row" data-label="Name">
        <Link to={`/admin/people/${person.id}`}>{person.name}</Link>
        {person.isDemo && <span className="tag">demo</span>}
      </th>
      <td data-label="E-mail">{person.email}</td>
      <td data-label="Role">{roleLabels[person.role]}</td>
      <td data-label="Team">
        {person.team?.name ?? (person.manages.length === 0 && <span className="muted">No team</span>)}
        {person.manages.length > 0 && (
          <span className="muted manages">Manages {person.manages.map((team) => team.name).join(", ")}</span>
        )}
      </td>
      <td data-label="Status">
        <span className={`status status-${person.status}`}>{statusLabels[person.status]}</span>
      </td>
    </tr>
  );
}

/** For L&D admins: everyone in the organisation, with filters, and adding one more. */
export function PeoplePage() {
  const searchId = useId();
  const teams = useAdminTeams();
  const [search, setSearch] = useState("");
  const [role, setRole] = useState("");
  const [status, setStatus] = useState("");
  const [teamId, setTeamId] = useState("");
  const filters: PeopleFilters = {
    search: useDebounced(search.trim()) || undefined,
    role: (role || undefined) as Role | undefined,
    status: (status || undefined) as AccountStatus | undefined,
    teamId: teamId || undefined,
  };
  const pages = usePeoplePages(filters);
  const people = pages.data?.pages.flatMap((page) => page.people) ?? [];
  const total = pages.data?.pages[0]?.total ?? 0;

  return (
    <main className="page admin-page" id="main">
      <h1>People</h1>
      <p className="lead">
        Add people one at a time here, or many at once with a <Link to="/admin/people/import">CSV import</Link>. Group
        them into <Link to="/admin/teams">teams</Link>; every change is written to the{" "}
        <Link to="/admin/audit">audit log</Link>.
      </p>
      <RemoveDemoNotice />
      <AddPersonForm />

      <section aria-labelledby="people-heading" className="people-list">
        <h2 id="people-heading">Everyone</h2>
        <search className="filters" aria-label="Filter people">
          <div className="filter filter-grow">
            <label htmlFor={searchId}>Search</label>
            <input
              id={searchId}
              type="search"
              placeholder="Name or e-mail"
              value={search}
              onChange={(event) => setSearch(event.target.value)}
            />
          </div>
          <FilterSelect
            label="Role"
            value={role}
            onChange={setRole}
            options={[{ value: "", label: "Any role" }, ...roleOptions]}
          />
          <FilterSelect
            label="Status"
            value={status}
            onChange={setStatus}
            options={[
              { value: "", label: "Any status" },
              ...Object.entries(statusLabels).map(([value, label]) => ({ value, label })),
            ]}
          />
          <FilterSelect
            label="Team"
            value={teamId}
            onChange={setTeamId}
            options={[
              { value: "", label: "Any team" },
              ...(teams.data ?? []).map((team) => ({ value: team.id, label: team.name })),
            ]}
          />
        </search>
        {pages.isError && (
          <p className="form-error" role="alert">
            {pages.error.message}
          </p>
        )}
        {pages.isPending && <p className="loading">Loading people…</p>}
        {pages.data && (
          <>
            <p className="muted" aria-live="polite">
              {total === 0 ? "Nobody matches." : `Showing ${people.length} of ${total}.`}
            </p>
            {people.length > 0 && (
              <table className="history-table stack-on-phone">
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">E-mail</th>
                    <th scope="col">Role</th>
                    <th scope="col">Team</th>
                    <th scope="col">Status</th>
                  </tr>
                </thead>
                <tbody>
                  {people.map((person) => (
                    <PersonRow key={person.id} person={person} />
                  ))}
                </tbody>
              </table>
            )}
            {pages.hasNextPage && (
              <button
                type="button"
                className="button load-more"
                onClick={() => pages.fetchNextPage()}
                disabled={pages.isFetchingNextPage}
              >
                {pages.isFetchingNextPage ? "Loading…" : "Load more"}
              </button>
            )}
          </>
        )}
      </section>
    </main>
  );
}
