import { AuditPage as AuditPageSchema, type AuditEntryView } from "@spar/protocol";
import { useInfiniteQuery } from "@tanstack/react-query";
import { useId } from "react";
import { Link, useSearchParams } from "react-router";
import { api } from "../../api/client.ts";
import { usePerson } from "../people/people-queries.ts";
import { actionInWords, detailsInBrief } from "./audit-words.ts";
import { PersonPicker } from "./person-picker.tsx";

const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

function auditUrl(personId: string, action: string, before: string | null): string {
  const query = new URLSearchParams();
  if (personId) query.set("personId", personId);
  if (action) query.set("action", action);
  if (before) query.set("before", before);
  query.set("limit", "50");
  return `/api/audit?${query}`;
}

function Row({ entry }: { entry: AuditEntryView }) {
  const via = typeof entry.details.via === "string" ? ` (via ${entry.details.via.toUpperCase()})` : "";
  const about = entry.subject && entry.subject.id !== entry.actor?.id ? entry.subject : null;
  return (
    <tr>
      <td data-label="When">
        <time dateTime={entry.at}>{timeFormat.format(new Date(entry.at))}</time>
      </td>
      <td data-label="Who">
        {entry.actor ? entry.actor.name : <span className="muted">Spar</span>}
        {via}
      </td>
      <td data-label="Did">{actionInWords(entry.action)}</td>
      <td data-label="About">
        {about ? <Link to={`/admin/people/${about.id}`}>{about.name}</Link> : <span className="muted">—</span>}
      </td>
      <td data-label="Details" className="audit-details">
        {detailsInBrief(entry.details) || <span className="muted">—</span>}
      </td>
    </tr>
  );
}

function ChosenPerson({ personId, onClear }: { personId: string; onClear: () => void }) {
  const person = usePerson(personId);
  return (
    <div className="filter chosen-person">
      <span className="filter-label">Person</span>
      <span>
        <strong>{person.data?.name ?? (person.isError ? "A person no longer listed" : "…")}</strong>{" "}
        <button type="button" className="link-button" onClick={onClear}>
          Show everyone
        </button>
      </span>
    </div>
  );
}

/** For L&D admins: who did what to whose data, newest first, including managers' transcript reads. */
export function AuditLogPage() {
  const actionId = useId();
  const [params, setParams] = useSearchParams();
  const personId = params.get("personId") ?? "";
  const action = params.get("action") ?? "";
  const setFilter = (key: "personId" | "action", value: string) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (value) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace: true },
    );
  const pages = useInfiniteQuery({
    queryKey: ["audit", personId, action],
    queryFn: ({ pageParam }) => api(auditUrl(personId, action, pageParam), AuditPageSchema),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextBefore,
  });
  const entries = pages.data?.pages.flatMap((page) => page.entries) ?? [];
  const actions = pages.data?.pages[0]?.actions ?? [];
  return (
    <main className="page admin-page" id="main">
      <h1>Audit log</h1>
      <p className="lead">
        Every change to people and teams, every link issued, and every read of someone else's transcript or scorecard.
        Newest first.
      </p>
      <search className="filters" aria-label="Filter the audit log">
        {personId ? (
          <ChosenPerson personId={personId} onClear={() => setFilter("personId", "")} />
        ) : (
          <PersonPicker onChoose={(person) => setFilter("personId", person.id)} />
        )}
        <div className="filter">
          <label htmlFor={actionId}>Action</label>
          <select id={actionId} value={action} onChange={(event) => setFilter("action", event.target.value)}>
            <option value="">Any action</option>
            {action && !actions.includes(action) && <option value={action}>{actionInWords(action)}</option>}
            {actions.map((each) => (
              <option key={each} value={each}>
                {actionInWords(each)}
              </option>
            ))}
          </select>
        </div>
      </search>
      {pages.isPending && <p className="loading">Loading the audit log…</p>}
      {pages.isError && (
        <p className="form-error" role="alert">
          {pages.error.message}
        </p>
      )}
      {pages.data && entries.length === 0 && <p>Nothing recorded{personId || action ? " that matches" : " yet"}.</p>}
      {entries.length > 0 && (
        <table className="history-table stack-on-phone audit-table">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">Did</th>
              <th scope="col">About</th>
              <th scope="col">Details</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => (
              <Row key={entry.id} entry={entry} />
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
          {pages.isFetchingNextPage ? "Loading…" : "Older"}
        </button>
      )}
    </main>
  );
}
