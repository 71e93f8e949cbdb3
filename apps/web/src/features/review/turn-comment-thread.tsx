import { type TurnCommentView, TurnCommentView as TurnCommentSchema } from "@spar/protocol";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useId, useRef, useState } from "react";
import { z } from "zod";
import { ApiError, api } from "../../api/client.ts";
import { issuesByField } from "../../components/field.tsx";

export const commentsKey = (sessionId: string) => ["turn-comments", sessionId] as const;

interface TurnCommentThreadProps {
  sessionId: string;
  turn: number;
  comments: readonly TurnCommentView[];
  /** The learner's manager may add to the thread; the learner reads it. */
  canComment: boolean;
}

/** The comments under one turn of a transcript, and for a manager a "Comment" form. */
export function TurnCommentThread({ sessionId, turn, comments, canComment }: TurnCommentThreadProps) {
  const client = useQueryClient();
  const [open, setOpen] = useState(false);
  const [body, setBody] = useState("");
  const opener = useRef<HTMLButtonElement>(null);
  const bodyField = useRef<HTMLTextAreaElement>(null);
  // Opening the form is asking to write: the text field takes the focus.
  useEffect(() => {
    if (open) bodyField.current?.focus();
  }, [open]);
  const ids = { form: useId(), body: useId(), bodyError: useId() };
  const save = useMutation({
    mutationFn: () =>
      api(`/api/practice-sessions/${sessionId}/turns/${turn}/comments`, z.object({ comment: TurnCommentSchema }), {
        method: "POST",
        body: { body },
      }),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: commentsKey(sessionId) });
      setBody("");
      setOpen(false);
      opener.current?.focus();
    },
  });
  const errors = issuesByField(save.error instanceof ApiError ? save.error.issues : []);
  const close = () => {
    save.reset();
    setOpen(false);
    opener.current?.focus();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  if (comments.length === 0 && !canComment) return null;

  return (
    <div className="turn-comments">
      {comments.length > 0 && (
        <ul className="turn-comment-list" aria-label={`Comments on turn ${turn}`}>
          {comments.map((comment) => (
            <li key={comment.id} className="turn-comment">
              <span className="turn-comment-author">{comment.by?.name ?? "Reviewer"}</span>{" "}
              <span className="muted">{new Date(comment.at).toLocaleDateString()}</span>
              <p className="turn-comment-body">{comment.body}</p>
            </li>
          ))}
        </ul>
      )}
      {canComment && (
        <>
          <button
            ref={opener}
            type="button"
            className="link-button"
            aria-expanded={open}
            aria-controls={open ? ids.form : undefined}
            onClick={() => (open ? close() : setOpen(true))}
          >
            Comment<span className="visually-hidden"> on turn {turn}</span>
          </button>
          {open && (
            <form id={ids.form} className="turn-comment-form" onSubmit={submit} onKeyDown={(event) => event.key === "Escape" && close()}>
              <div className="field">
                <label htmlFor={ids.body}>Your comment on turn {turn}</label>
                <textarea
                  id={ids.body}
                  rows={3}
                  value={body}
                  onChange={(event) => setBody(event.target.value)}
                  required
                  maxLength={2_000}
                  aria-invalid={errors.body ? true : undefined}
                  aria-describedby={errors.body ? ids.bodyError : undefined}
                  ref={bodyField}
                />
                {errors.body && (
                  <p className="field-error" id={ids.bodyError}>
                    {errors.body}
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
                  Add comment
                </button>
                <button type="button" className="button subtle" onClick={close}>
                  Cancel
                </button>
              </div>
            </form>
          )}
        </>
      )}
    </div>
  );
}
