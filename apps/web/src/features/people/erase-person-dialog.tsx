import { EraseReport, type Person } from "@spar/protocol";
import { useMutation } from "@tanstack/react-query";
import { useId, useState } from "react";
import { ApiError, api } from "../../api/client.ts";
import { ConfirmDialog } from "../../components/confirm-dialog.tsx";

/** Erasure needs the person's e-mail typed exactly, so it is never one careless click. */
export function ErasePersonDialog({
  person,
  open,
  onClose,
  onErased,
}: {
  person: Person;
  open: boolean;
  onClose: () => void;
  onErased: (report: EraseReport) => void;
}) {
  const inputId = useId();
  const [typed, setTyped] = useState("");
  const erase = useMutation({
    mutationFn: () =>
      api(`/api/people/${person.id}/erase`, EraseReport, { method: "POST", body: { confirmEmail: typed.trim() } }),
    onSuccess: onErased,
  });
  const error = erase.error instanceof ApiError ? erase.error : null;
  const matches = typed.trim().toLowerCase() === person.email.toLowerCase();
  return (
    <ConfirmDialog
      open={open}
      title={`Erase ${person.name} for good?`}
      confirmLabel="Erase for good"
      danger
      pending={erase.isPending}
      canConfirm={matches}
      error={error ? (error.issues[0]?.message ?? error.message) : null}
      onConfirm={() => erase.mutate()}
      onCancel={() => {
        setTyped("");
        erase.reset();
        onClose();
      }}
    >
      <p>This removes, and nobody can bring back:</p>
      <ul>
        <li>their name, e-mail address and sign-in (they can no longer sign in);</li>
        <li>every practice transcript and scorecard of theirs;</li>
        <li>their assignments, one-to-one records and the observations about them.</li>
      </ul>
      <p>
        Programme figures keep only counts that no longer identify anyone. Export their data first if it must be kept
        somewhere.
      </p>
      <div className="field">
        <label htmlFor={inputId}>
          Type <strong>{person.email}</strong> to confirm
        </label>
        <input
          id={inputId}
          type="email"
          autoComplete="off"
          value={typed}
          onChange={(event) => setTyped(event.target.value)}
        />
      </div>
    </ConfirmDialog>
  );
}
