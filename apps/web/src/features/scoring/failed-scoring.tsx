import { ScoringFailureList, ScoringRetryResult } from "@spar/protocol";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../../api/client.ts";
import { LoadError } from "../../components/load-error.tsx";
import { ScrollRegion } from "../../components/scroll-region.tsx";

const failuresKey = ["scoring-failures"] as const;

const when = (iso: string | null) =>
  iso === null ? "—" : new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });

/**
 * For L&D: sessions whose scoring failed for good (the judge stayed down past the retry window,
 * or its answers broke the evidence rules), with a Retry for each. Which scenario, when it
 * ended, the error and the attempts: never the conversation, nor whose it was.
 */
export function FailedScoring() {
  const client = useQueryClient();
  const failures = useQuery({ queryKey: failuresKey, queryFn: () => api("/api/scoring/failures", ScoringFailureList) });
  const retry = useMutation({
    mutationFn: (sessionId: string) =>
      api(`/api/scoring/failures/${sessionId}/retry`, ScoringRetryResult, { method: "POST" }),
    onSettled: () => client.invalidateQueries({ queryKey: failuresKey }),
  });

  return (
    <section className="card" aria-labelledby="failed-scoring">
      <h2 id="failed-scoring">Scoring that failed</h2>
      {failures.isPending && <p className="loading">Loading…</p>}
      {failures.isError && <LoadError error={failures.error} what="the failed scoring list" onRetry={() => failures.refetch()} />}
      {failures.data && failures.data.failures.length === 0 && (
        <p>Every ended session has been scored or is being scored.</p>
      )}
      {failures.data && failures.data.failures.length > 0 && (
        <ScrollRegion label="Scoring that failed">
          <table className="history-table">
            <thead>
              <tr>
                <th scope="col">Scenario</th>
                <th scope="col">Ended</th>
                <th scope="col">Error</th>
                <th scope="col" className="keep-whole">
                  Attempts
                </th>
                <th scope="col">
                  <span className="visually-hidden">Retry</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {failures.data.failures.map((failure) => (
                <tr key={failure.sessionId}>
                  <th scope="row">{failure.scenario.title}</th>
                  <td>{when(failure.endedAt)}</td>
                  <td>{failure.error}</td>
                  <td className="keep-whole">{failure.attempts}</td>
                  <td className="keep-whole">
                    <button
                      type="button"
                      className="button"
                      disabled={retry.isPending && retry.variables === failure.sessionId}
                      onClick={() => retry.mutate(failure.sessionId)}
                    >
                      Retry
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
      {retry.isSuccess && (
        <p className="passed" role="status">
          Queued for scoring again.
        </p>
      )}
      {retry.error && <p className="form-error">{retry.error.message}</p>}
    </section>
  );
}
