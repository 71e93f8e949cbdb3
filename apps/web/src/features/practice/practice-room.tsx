import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from "react";
import { minLearnerTurnsToScore } from "@spar/protocol";
import { Link } from "react-router";
import { ConfirmDialog } from "../../components/confirm-dialog.tsx";
import { sessionsInProgressId } from "../home/sessions-in-progress.tsx";
import { ScorecardPanel } from "../scorecard/scorecard-panel.tsx";
import { useTurnsWithKeptAudio } from "./kept-audio.ts";
import { MoodMeter } from "./mood-meter.tsx";
import { currentMood } from "./persona-mood.ts";
import { cutByModel, Transcript } from "./transcript.tsx";
import { api } from "../../api/client.ts";
import { type ConnectionStatus, type PracticeState, usePracticeSocket } from "./use-practice-socket.ts";
import { useVoiceConversation } from "./voice/use-voice-conversation.ts";
import { VoicePanel } from "./voice/voice-panel.tsx";
import { type ReplyMode, savedReplyMode, savedReview, saveReplyMode, saveReview } from "./voice/voice-preferences.ts";

const connectionLabels: Record<ConnectionStatus, string> = {
  connecting: "Connecting…",
  open: "Connected",
  reconnecting: "Connection lost: reconnecting. Nothing you said is lost.",
  closed: "Disconnected",
};

const endLabels: Record<string, string> = {
  "learner-ended": "You ended the conversation.",
  "persona-ended": "The other person ended the conversation.",
  "turn-limit": "The conversation reached its turn limit.",
  "time-limit": "The conversation reached its time limit.",
  abandoned: "The conversation was closed after a long silence.",
  discarded: "This conversation was discarded.",
};

const time = (iso: string) => new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });

/** While the scorecard is on its way: waiting, waiting through a failure, or failed for good. */
function ScoringStatus({ sessionId, failure, onRescore }: { sessionId: string; failure: PracticeState["scoreFailure"]; onRescore: () => void }) {
  const [problem, setProblem] = useState<string | null>(null);
  const [asking, setAsking] = useState(false);
  if (!failure) return <p className="muted">Scoring your conversation…</p>;
  const rescore = async () => {
    setAsking(true);
    setProblem(null);
    try {
      await api(`/api/practice-sessions/${sessionId}/rescore`, null, { method: "POST", body: {} });
      onRescore();
    } catch (error) {
      setProblem(error instanceof Error ? error.message : "The rescore could not be asked for.");
    } finally {
      setAsking(false);
    }
  };
  return (
    <div className="score-failure" role="alert">
      <p>{failure.message}</p>
      {failure.final ? (
        <>
          <p>Scoring has stopped trying. Ask for it again when you like: your transcript waits.</p>
          <button type="button" className="button" onClick={rescore} disabled={asking}>
            Score it again
          </button>
          {problem && <p className="form-error">{problem}</p>}
        </>
      ) : (
        <p className="muted">
          {`Spar will try again at ${failure.nextAttemptAt ? time(failure.nextAttemptAt) : "once the service answers"}. You can leave this page: the scorecard will be in your history.`}
        </p>
      )}
    </div>
  );
}

/** The learner's open sessions, shown at the open-session limit: resume one, or end it. */
function OpenSessions({
  sessions,
  onEnd,
}: {
  sessions: NonNullable<PracticeState["openSessions"]>;
  onEnd: (sessionId: string) => Promise<void>;
}) {
  const [ending, setEnding] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  return (
    <section className="card open-sessions" aria-labelledby="open-sessions-title">
      <h2 id="open-sessions-title">Your open conversations</h2>
      <ul>
        {sessions.map((open) => (
          <li key={open.sessionId}>
            <span>
              <strong>{open.scenarioTitle}</strong>{" "}
              <span className="muted">
                started {new Date(open.startedAt).toLocaleString()}, {open.learnerTurns}{" "}
                {open.learnerTurns === 1 ? "message" : "messages"} from you
              </span>
            </span>
            <span className="actions">
              <Link className="button subtle" to={`/sessions/${open.sessionId}`} reloadDocument>
                Resume
              </Link>
              <button
                type="button"
                className="button subtle"
                disabled={ending !== null}
                onClick={() => {
                  setEnding(open.sessionId);
                  setFailure(null);
                  onEnd(open.sessionId)
                    .catch((error: unknown) => setFailure(error instanceof Error ? error.message : "Could not end it."))
                    .finally(() => setEnding(null));
                }}
              >
                {ending === open.sessionId ? "Ending…" : "End it"}
              </button>
            </span>
          </li>
        ))}
      </ul>
      {failure && (
        <p className="form-error" role="alert">
          {failure}
        </p>
      )}
      <p className="muted">
        To set one aside without a scorecard, discard it from <Link to={`/#${sessionsInProgressId}`}>your conversations in progress</Link>.
      </p>
    </section>
  );
}

/** The practice room: the conversation, streamed; then the scorecard, which appears by itself. */
export function PracticeRoom({ scenarioId, sessionId }: { scenarioId?: string; sessionId?: string }) {
  const { state, say, end, retryReply, rescoreRequested, endOpenSession, voice: voiceSocket } = usePracticeSocket(
    scenarioId ? { scenarioId } : { sessionId: sessionId as string },
  );
  const [draft, setDraft] = useState("");
  const [selected, setSelected] = useState<string | null>(null);
  const [confirmingEnd, setConfirmingEnd] = useState(false);
  const composer = useRef<HTMLTextAreaElement>(null);
  const { session, turns, streaming, ended, scorecard, error, connection } = state;
  // Once it has ended, the turns whose audio was kept can be played back.
  const shownTurns = useTurnsWithKeptAudio(session?.id ?? "", session !== null && ended !== null, turns);

  // Typing or speaking: typing unless the learner chose to speak, remembered in this browser.
  const [replyMode, setReplyMode] = useState<ReplyMode>(savedReplyMode);
  const [review, setReview] = useState(savedReview);
  const [voiceProblem, setVoiceProblem] = useState<string | null>(null);
  const chooseReplyMode = (mode: ReplyMode) => {
    setReplyMode(mode);
    saveReplyMode(mode);
    setVoiceProblem(null);
  };
  const voice = useVoiceConversation({
    on: replyMode === "voice",
    session,
    state,
    socket: voiceSocket,
    review,
    // Back to typing, remembered: the next conversation does not ask for the microphone again.
    onFailure: (message) => {
      setReplyMode("text");
      saveReplyMode("text");
      setVoiceProblem(message);
    },
  });
  // With review on, the words of the learner's speech come to the text box to correct, and go as
  // a turn under the speech's id (the server keeps the speech's timing with it).
  const reviewing = state.voice?.final && state.voice.review ? state.voice : null;
  useEffect(() => {
    if (!reviewing) return;
    setDraft(reviewing.text);
    composer.current?.focus();
  }, [reviewing]);

  // Deep-linkable and reload-safe: once the session exists the address names it.
  useEffect(() => {
    if (session && window.location.pathname !== `/sessions/${session.id}`)
      window.history.replaceState(null, "", `/sessions/${session.id}`);
  }, [session]);

  // Follow the conversation: while the learner is at the bottom of the page, each new turn and
  // each streamed word keeps the newest reply and the composer in view. Scrolled up to reread,
  // they are left where they are.
  const following = useRef(true);
  useEffect(() => {
    const onScroll = () => {
      following.current = window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 120;
    };
    window.addEventListener("scroll", onScroll, { passive: true });
    return () => window.removeEventListener("scroll", onScroll);
  }, []);
  const streamedLength = streaming?.text.length ?? -1;
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on each new turn and streamed word, which it does not read
  useEffect(() => {
    if (scorecard || !following.current) return;
    window.scrollTo({ top: document.documentElement.scrollHeight });
  }, [turns.length, streamedLength, scorecard]);

  // When the scorecard arrives it takes focus (and the view), heading first: on a phone it sits
  // below the whole transcript.
  const scorecardShown = scorecard !== null && scorecard !== undefined;
  useEffect(() => {
    if (!scorecardShown) return;
    const heading = document.getElementById("scorecard-heading");
    if (!heading) return;
    heading.setAttribute("tabindex", "-1");
    heading.focus({ preventScroll: true });
    heading.scrollIntoView({ block: "start" });
  }, [scorecardShown]);

  const lastPersona = [...turns].reverse().find((turn) => turn.speaker === "persona");
  const mood = session ? currentMood(session, turns) : null;
  const highlights = useMemo(() => {
    const map = new Map<number, string[]>();
    const criterion = scorecard?.criteria.find((each) => each.criterionId === selected);
    for (const item of criterion?.evidence ?? []) map.set(item.turn, [...(map.get(item.turn) ?? []), item.quote]);
    return map;
  }, [scorecard, selected]);

  const select = (criterionId: string) => {
    setSelected(criterionId);
    const first = scorecard?.criteria.find((each) => each.criterionId === criterionId)?.evidence[0];
    if (first)
      requestAnimationFrame(() =>
        document.getElementById(`turn-${first.turn}`)?.scrollIntoView({ block: "center", behavior: "smooth" }),
      );
  };

  const learnerTurns = turns.filter((turn) => turn.speaker === "learner").length;
  const busy = streaming !== null || state.pending.length > 0 || turns.at(-1)?.speaker === "learner";
  const canSend = connection === "open" && !ended && !busy && draft.trim().length > 0;
  const submit = () => {
    if (!canSend) return;
    if (reviewing) say(draft.trim(), reviewing.clientMessageId);
    else say(draft.trim());
    setDraft("");
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      submit();
    }
  };

  if (!session) {
    return (
      <main className="page" id="main">
        <p className="loading" role="status">
          {error ? error.message : "Starting the conversation…"}
        </p>
        {state.openSessions && state.openSessions.length > 0 && (
          <OpenSessions sessions={state.openSessions} onEnd={endOpenSession} />
        )}
      </main>
    );
  }

  return (
    <main className="page practice" id="main">
      <header className="practice-header">
        <div>
          <h1>{session.scenario.title}</h1>
          <p className="muted">
            With {session.persona.name}, {session.persona.role}
          </p>
        </div>
        <div className="practice-status">
          <span className="badge" title="Which engine plays the other person">
            {session.engine === "offline" ? "Offline engine (authored responses)" : `AI model: ${session.model}`}
          </span>
          <span className={`connection connection-${connection}`} role="status">
            {connectionLabels[connection]}
          </span>
          <span className="muted">
            Turn {Math.min(turns.filter((turn) => turn.speaker === "learner").length, session.maxTurns)} of{" "}
            {session.maxTurns}
          </span>
        </div>
      </header>

      <div className="visually-hidden" aria-live="polite">
        {lastPersona && !streaming ? `${session.persona.name}: ${lastPersona.text}` : ""}
      </div>

      <div className={scorecard ? "practice-body with-scorecard" : "practice-body"}>
        <section aria-label="Conversation" className="conversation">
          <Transcript
            sessionId={session.id}
            turns={shownTurns}
            personaName={session.persona.name}
            streaming={streaming}
            speaking={state.voice && !reviewing ? state.voice : null}
            highlights={highlights}
          />
          {!ended && !streaming && !error && cutByModel(turns.at(-1)) && (
            <div className="notice warning" role="status">
              {session.persona.name}'s reply was cut off by the AI model, not by {session.persona.name}. Ask for it again, or carry on.
              <button type="button" className="button subtle" onClick={retryReply}>
                Ask again
              </button>
            </div>
          )}
          {error && (
            <div className="form-error" role="alert">
              {error.message}
              {error.code === "LLM_UNAVAILABLE" && (
                <button type="button" className="button subtle" onClick={retryReply}>
                  Ask again
                </button>
              )}
            </div>
          )}
          {mood && <MoodMeter mood={mood} personaName={session.persona.name} />}
          {ended ? (
            <div className="ended card" role="status">
              <p>{endLabels[ended.reason] ?? "The conversation has ended."}</p>
              {!scorecard && state.scoreSkipped && <p className="score-skipped">{state.scoreSkipped}</p>}
              {!scorecard && !state.scoreSkipped && (
                <ScoringStatus sessionId={session.id} failure={state.scoreFailure} onRescore={rescoreRequested} />
              )}
              <Link className="button" to={`/practice/${session.scenario.id}`} reloadDocument>
                Practise again
              </Link>
            </div>
          ) : (
            <form
              className="composer"
              onSubmit={(event) => {
                event.preventDefault();
                submit();
              }}
            >
              <VoicePanel
                voice={session.voice}
                mode={replyMode}
                onModeChange={chooseReplyMode}
                review={review}
                onReviewChange={(checked) => {
                  setReview(checked);
                  saveReview(checked);
                }}
                activity={voice.activity}
                speech={state.voice}
                personaName={session.persona.name}
                problem={voiceProblem}
                onResume={voice.resume}
                onSayAgain={() => {
                  if (reviewing) voiceSocket.cancelled(reviewing.clientMessageId);
                  setDraft("");
                }}
              />
              <label htmlFor="composer-input">Your message</label>
              <textarea
                id="composer-input"
                ref={composer}
                value={draft}
                onChange={(event) => setDraft(event.target.value)}
                onKeyDown={onKeyDown}
                rows={3}
                maxLength={2000}
                aria-describedby="composer-hint"
              />
              <p id="composer-hint" className="field-hint">
                Enter sends; Shift+Enter starts a new line.
              </p>
              <div className="composer-actions">
                <button type="submit" className="button primary" disabled={!canSend}>
                  Send
                </button>
                <button type="button" className="button subtle" onClick={() => setConfirmingEnd(true)}>
                  End conversation
                </button>
              </div>
            </form>
          )}
          <ConfirmDialog
            open={confirmingEnd && !ended}
            title="End the conversation?"
            confirmLabel="End conversation"
            onConfirm={() => {
              setConfirmingEnd(false);
              end();
            }}
            onCancel={() => setConfirmingEnd(false)}
          >
            {learnerTurns < minLearnerTurnsToScore ? (
              <p>
                You have sent {learnerTurns === 0 ? "no messages" : "one message"} so far. A conversation needs at least{" "}
                {minLearnerTurnsToScore} of your messages to be scored: ending now leaves it unscored, and it does not count as an
                attempt.
              </p>
            ) : (
              <p>It will be scored as it stands, and you cannot add to it afterwards.</p>
            )}
          </ConfirmDialog>
        </section>
        {scorecard && <ScorecardPanel scorecard={scorecard} selected={selected} onSelect={select} turns={turns} />}
      </div>
    </main>
  );
}
