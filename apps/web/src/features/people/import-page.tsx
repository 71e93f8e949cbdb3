import { ImportReport } from "@spar/protocol";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type ChangeEvent, useId, useState } from "react";
import { Link } from "react-router";
import { ApiError, apiText } from "../../api/client.ts";
import { peopleKeys } from "./people-queries.ts";

const example = `email,name,role,team,manager_email
maya.chen@example.com,Maya Chen,manager,Field Sales,
omar.haddad@example.com,Omar Haddad,learner,Field Sales,maya.chen@example.com
lena.fischer@example.com,Lena Fischer,learner,,
`;
const exampleHref = `data:text/csv;charset=utf-8,${encodeURIComponent(example)}`;

function Report({ report, dryRun }: { report: ImportReport; dryRun: boolean }) {
  const verb = (count: number) => (dryRun ? "would be" : count === 1 ? "was" : "were");
  return (
    <section className="notice success" role="status" aria-labelledby="import-report-heading">
      <h2 id="import-report-heading">{dryRun ? "The file is good: nothing imported yet" : "Imported"}</h2>
      <ul>
        <li>
          {report.created.length} {report.created.length === 1 ? "person" : "people"} {verb(report.created.length)}{" "}
          added
          {report.created.length > 0 && `: ${report.created.join(", ")}`}
        </li>
        <li>
          {report.changed.length} {verb(report.changed.length)} changed
          {report.changed.length > 0 && `: ${report.changed.join(", ")}`}
        </li>
        <li>{report.unchanged} left alone (already as in the file)</li>
        {report.teamsCreated.length > 0 && (
          <li>
            {report.teamsCreated.length === 1 ? "Team" : "Teams"} {verb(report.teamsCreated.length)} created:{" "}
            {report.teamsCreated.join(", ")}
          </li>
        )}
      </ul>
      {!dryRun && report.created.length > 0 && (
        <p>
          New people are invited: issue and pass on their links from <Link to="/admin/people">People</Link>, or they
          receive them by e-mail when the server sends mail.
        </p>
      )}
    </section>
  );
}

/** Bulk import of people from an HR export: checked first, then all or nothing. */
export function ImportPage() {
  const client = useQueryClient();
  const fileId = useId();
  const [file, setFile] = useState<{ name: string; text: string } | null>(null);
  const run = useMutation({
    mutationFn: ({ text, dryRun }: { text: string; dryRun: boolean }) =>
      apiText(`/api/people/import${dryRun ? "?dryRun=true" : ""}`, ImportReport, {
        body: text,
        contentType: "text/csv",
      }),
    onSuccess: async (_report, { dryRun }) => {
      if (!dryRun) {
        await client.invalidateQueries({ queryKey: peopleKeys.all });
        await client.invalidateQueries({ queryKey: peopleKeys.teams });
      }
    },
  });
  const choose = async (event: ChangeEvent<HTMLInputElement>) => {
    const chosen = event.target.files?.[0];
    run.reset();
    setFile(chosen ? { name: chosen.name, text: await chosen.text() } : null);
  };
  const error = run.error instanceof ApiError ? run.error : null;
  // Each bad row comes as an issue whose path is "line N".
  const lineProblems = error?.issues ?? [];
  return (
    <main className="page admin-page" id="main">
      <p>
        <Link to="/admin/people">← People</Link>
      </p>
      <h1>Import people from a CSV file</h1>
      <p className="lead">
        Bring in many people at once, for example from an HR export. Importing the same file twice changes nothing the
        second time. If any row is wrong, nothing is imported.
      </p>
      <section className="card" aria-labelledby="columns-heading">
        <h2 id="columns-heading">The file</h2>
        <p>
          A header row, then one person per row, with the columns <code>email,name,role,team,manager_email</code>:
        </p>
        <dl className="columns">
          <dt>
            <code>email</code>
          </dt>
          <dd>Their work e-mail address: how Spar recognises them on the next import.</dd>
          <dt>
            <code>name</code>
          </dt>
          <dd>Their full name.</dd>
          <dt>
            <code>role</code>
          </dt>
          <dd>
            <code>learner</code>, <code>manager</code> or <code>ld_admin</code>.
          </dd>
          <dt>
            <code>team</code> (optional)
          </dt>
          <dd>The team they practise in; a team that does not exist yet is created.</dd>
          <dt>
            <code>manager_email</code> (optional)
          </dt>
          <dd>The e-mail of their team's manager, who must be a manager in Spar or in the same file.</dd>
        </dl>
        <a className="csv-link" href={exampleHref} download="spar-people-example.csv">
          Download an example file
        </a>
      </section>

      <section className="card" aria-labelledby="upload-heading">
        <h2 id="upload-heading">Check and import</h2>
        <div className="field">
          <label htmlFor={fileId}>CSV file</label>
          <input id={fileId} type="file" accept=".csv,text/csv" onChange={choose} />
        </div>
        <div className="button-row">
          <button
            type="button"
            className="button"
            disabled={!file || run.isPending}
            onClick={() => file && run.mutate({ text: file.text, dryRun: true })}
          >
            Check
          </button>
          <button
            type="button"
            className="button primary"
            disabled={!file || run.isPending}
            onClick={() => file && run.mutate({ text: file.text, dryRun: false })}
          >
            Import
          </button>
        </div>
        {run.isPending && <p className="muted">{run.variables.dryRun ? "Checking…" : "Importing…"}</p>}
        {error && (
          <div className="notice error" role="alert">
            <p>
              <strong>{file?.name ?? "The file"}: nothing was imported.</strong>{" "}
              {lineProblems.length > 0 ? "Fix these rows and try again:" : error.message}
            </p>
            {lineProblems.length > 0 && (
              <ul className="problems">
                {lineProblems.map((issue) => (
                  <li key={`${issue.path}:${issue.message}`}>
                    {issue.path ? `${issue.path}: ${issue.message}` : issue.message}
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}
        {run.data && <Report report={run.data} dryRun={run.variables.dryRun} />}
      </section>
    </main>
  );
}
