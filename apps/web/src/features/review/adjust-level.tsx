import { LevelOverrideView, type ScorecardView } from "@spar/protocol";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useId, useRef, useState } from "react";
import { z } from "zod";
import { ApiError, api } from "../../api/client.ts";
import { issuesByField } from "../../components/field.tsx";

type Criterion = ScorecardView["criteria"][number];

const levels = [1, 2, 3, 4] as const;

/**
 * "Adjust level" on one criterion of a report's scorecard: a level and the reason, saved as an
 * override. The scorer's level stays on the card beside it, and every change is kept.
 */
export function AdjustLevel({ scorecard, criterion }: { scorecard: ScorecardView; criterion: Criterion }) {
  const client = useQueryClient();
  const [open, setOpen] = useState(false);
  const [level, setLevel] = useState(String(criterion.level === 4 ? 3 : criterion.level + 1));
  const [reason, setReason] = useState("");
  const opener = useRef<HTMLButtonElement>(null);
  const reasonField = useRef<HTMLTextAreaElement>(null);
  // Opening the form is asking to write: the text field takes the focus.
  useEffect(() => {
    if (open) reasonField.current?.focus();
  }, [open]);
  const ids = { form: useId(), level: useId(), reason: useId(), reasonError: useId() };
  const save = useMutation({
    mutationFn: () =>
      api(`/api/scorecards/${scorecard.id}/criteria/${criterion.criterionId}/override`, z.object({ override: LevelOverrideView }), {
        method: "POST",
        body: { level: Number(level), reason },
      }),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: ["scorecards", scorecard.sessionId] });
      setReason("");
      setOpen(false);
      opener.current?.focus();
    },
  });
  const errors = issuesByField(save.error instanceof ApiError ? save.error.issues : []);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  const close = () => {
    save.reset();
    setOpen(false);
    opener.current?.focus();
  };

  return (
    <div className="adjust-level">
      <button
        ref={opener}
        type="button"
        className="link-button"
        aria-expanded={open}
        aria-controls={open ? ids.form : undefined}
        onClick={() => (open ? close() : setOpen(true))}
      >
        Adjust level<span className="visually-hidden"> of {criterion.title}</span>
      </button>
      {open && (
        <form
          id={ids.form}
          className="adjust-level-form"
          onSubmit={submit}
          onKeyDown={(event) => event.key === "Escape" && close()}
          aria-label={`Adjust the level of ${criterion.title}`}
        >
          <div className="field">
            <label htmlFor={ids.level}>New level</label>
            <select id={ids.level} value={level} onChange={(event) => setLevel(event.target.value)} aria-invalid={errors.level ? true : undefined}>
              {levels.map((each) => (
                <option key={each} value={each}>
                  Level {each}
                  {each === (criterion.scorerLevel ?? criterion.level) ? " (the scorer's)" : ""}
                  {each === criterion.level && criterion.override ? " (now)" : ""}
                </option>
              ))}
            </select>
            {errors.level && <p className="field-error">{errors.level}</p>}
          </div>
          <div className="field">
            <label htmlFor={ids.reason}>Reason</label>
            <textarea
              id={ids.reason}
              rows={3}
              value={reason}
              onChange={(event) => setReason(event.target.value)}
              required
              maxLength={1_000}
              aria-invalid={errors.reason ? true : undefined}
              aria-describedby={errors.reason ? ids.reasonError : undefined}
              ref={reasonField}
            />
            {errors.reason && (
              <p className="field-error" id={ids.reasonError}>
                {errors.reason}
              </p>
            )}
          </div>
          {save.error && !Object.keys(errors).length && (
            <p className="form-error" role="alert">
              {save.error.message}
            </p>
          )}
          <div className="button-row">
            <button type="submit" className="button primary" disabled={save.isPending}>
              Save level
            </button>
            <button type="button" className="button subtle" onClick={close}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </div>
  );
}
