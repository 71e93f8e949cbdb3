import { ProgrammeRescoreResult } from "@spar/protocol";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { api } from "../../api/client.ts";
import { ConfirmDialog } from "../../components/confirm-dialog.tsx";
import { SelectField } from "../../components/select-field.tsx";
import { libraryFilesQuery } from "../library-admin/library-files-query.ts";
import { LoadError } from "../../components/load-error.tsx";

/**
 * For L&D, after a rubric changed: every ended session scored on it is scored again with the
 * library's latest version. The only way L&D rescores; single sessions are their managers' call.
 */
export function RubricRescore() {
  const files = useQuery(libraryFilesQuery);
  const rubrics = (files.data?.files ?? []).filter((file) => file.kind === "rubric" && file.id).map((file) => ({ value: file.id as string, label: file.title ?? (file.id as string) }));
  const [chosen, setChosen] = useState("");
  const [confirming, setConfirming] = useState(false);
  const rubricId = chosen || rubrics[0]?.value || "";
  const rescore = useMutation({
    mutationFn: () => api("/api/programme/rescore", ProgrammeRescoreResult, { method: "POST", body: { rubricId, rubric: "latest" } }),
    onSuccess: () => setConfirming(false),
  });

  return (
    <section className="card" aria-labelledby="rubric-rescore">
      <h2 id="rubric-rescore">Rescore a rubric</h2>
      <p>After a rubric changes, score every ended session on it again with its latest version. Managers see the new scorecards beside the old ones.</p>
      {files.isError && <LoadError error={files.error} what="the rubric list" onRetry={() => files.refetch()} />}
      {rubrics.length > 0 && (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            rescore.reset();
            setConfirming(true);
          }}
        >
          <SelectField label="Rubric" name="rubric" value={rubricId} onChange={setChosen} options={rubrics} />
          <button type="submit" className="button">
            Rescore…
          </button>
        </form>
      )}
      {rescore.data && (
        <p className="passed" role="status">
          {rescore.data.queued === 1 ? "1 session is" : `${rescore.data.queued} sessions are`} queued for scoring again.
        </p>
      )}
      <ConfirmDialog
        open={confirming}
        title="Rescore every session on this rubric?"
        confirmLabel="Rescore"
        onConfirm={() => rescore.mutate()}
        onCancel={() => setConfirming(false)}
        pending={rescore.isPending}
        error={rescore.error?.message}
      >
        <p>Every ended session scored on it is scored again with the latest version. This can take a while and uses the judge model.</p>
      </ConfirmDialog>
    </section>
  );
}
