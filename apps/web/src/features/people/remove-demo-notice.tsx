import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api } from "../../api/client.ts";
import { ConfirmDialog } from "../../components/confirm-dialog.tsx";
import { useSetupStatus } from "../auth/auth-queries.ts";

/** While the demo organisation is loaded beside real people, offers to remove it. */
export function RemoveDemoNotice() {
  const setup = useSetupStatus();
  const client = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const remove = useMutation({
    mutationFn: () => api("/api/demo", null, { method: "DELETE" }),
    onSuccess: async () => {
      setConfirming(false);
      await client.invalidateQueries();
    },
  });
  if (!setup.data?.demoLoaded) {
    return remove.isSuccess ? (
      <p className="notice success" role="status">
        The demo organisation was removed.
      </p>
    ) : null;
  }
  return (
    <section className="notice warning" aria-labelledby="demo-notice-heading">
      <h2 id="demo-notice-heading">The demo organisation is still here</h2>
      <p>
        Its people, teams and practice sit beside your organisation's and count in the programme figures. Remove it once
        you no longer need it.
      </p>
      <button type="button" className="button danger" onClick={() => setConfirming(true)}>
        Remove the demo organisation
      </button>
      <ConfirmDialog
        open={confirming}
        title="Remove the demo organisation?"
        confirmLabel="Remove it for good"
        danger
        pending={remove.isPending}
        error={remove.error?.message}
        onConfirm={() => remove.mutate()}
        onCancel={() => {
          setConfirming(false);
          remove.reset();
        }}
      >
        <p>
          Every demo person, their practice sessions, scorecards and assignments, and the demo teams are deleted. People
          you added yourself are not touched. If you are signed in as a demo person, your account goes too: make sure a
          real L&amp;D admin can sign in first. This cannot be undone.
        </p>
      </ConfirmDialog>
    </section>
  );
}
