import { cutByProvider, type TurnView } from "@spar/protocol";
import { Fragment, type ReactNode } from "react";

/** Splits a turn's text around the quotes to highlight; the text is always rendered as text. */
function highlighted(text: string, quotes: readonly string[]): ReactNode {
  if (quotes.length === 0) return text;
  const parts: ReactNode[] = [];
  let offset = 0;
  while (offset < text.length) {
    const found = quotes
      .map((quote) => ({ quote, at: text.indexOf(quote, offset) }))
      .filter((candidate) => candidate.at >= 0 && candidate.quote.length > 0)
      .sort((a, b) => a.at - b.at)[0];
    if (!found) {
      parts.push(<Fragment key={`text-${offset}`}>{text.slice(offset)}</Fragment>);
      break;
    }
    parts.push(
      <Fragment key={`text-${offset}`}>{text.slice(offset, found.at)}</Fragment>,
      <mark key={`mark-${found.at}`}>{found.quote}</mark>,
    );
    offset = found.at + found.quote.length;
  }
  return parts;
}

/** Why a persona turn ended early, in the learner's words: whose doing it was. */
export const cutLabels: Record<NonNullable<TurnView["interruption"]>, string> = {
  stopped: "(interrupted)",
  "barge-in": "(you spoke over this; kept up to what you heard)",
  "token-limit": "(cut off: the AI model reached its length limit)",
  "stream-lost": "(cut off: the connection to the AI model broke)",
  timeout: "(cut off: the AI model stopped answering)",
};

/** A persona reply the model service cut, which the learner may ask for again. */
export const cutByModel = (turn: TurnView | undefined): boolean => turn?.speaker === "persona" && cutByProvider(turn.interruption);

interface TranscriptProps {
  turns: readonly TurnView[];
  personaName: string;
  /** How the learner's turns are labelled: "You" for the learner; a reviewer reads the person's name. */
  learnerName?: string;
  streaming?: { seq: number; text: string } | null;
  /** The learner's speech as it is turned into words: muted while they speak, then awaiting its acknowledgement. */
  speaking?: { text: string; final: boolean } | null;
  highlights?: ReadonlyMap<number, readonly string[]>;
  /** Shown under a turn: a reviewer's comments on it. */
  afterTurn?: (turn: TurnView) => ReactNode;
  /** The session, where kept audio of its spoken turns can be played (SPAR_KEEP_AUDIO). */
  sessionId?: string;
}

export function Transcript({ turns, personaName, learnerName = "You", streaming = null, speaking = null, highlights, afterTurn, sessionId }: TranscriptProps) {
  return (
    <ol className="transcript" aria-label="Conversation">
      {turns.map((turn) => (
        <li key={turn.seq} id={`turn-${turn.seq}`} className={`turn turn-${turn.speaker}`}>
          <span className="turn-speaker">{turn.speaker === "persona" ? personaName : learnerName}</span>
          <p className="turn-text">{highlighted(turn.text, highlights?.get(turn.seq) ?? [])}</p>
          {turn.status === "interrupted" && <span className="turn-note">{turn.interruption ? cutLabels[turn.interruption] : "(cut off)"}</span>}
          {turn.acts.includes("steering") && <span className="turn-note">(tried to step out of the role-play)</span>}
          {turn.audio && sessionId && (
            // Fetched only when played: each play by a manager is audited. The same player serves
            // the learner's own ended conversations (kept-audio.ts).
            // biome-ignore lint/a11y/useMediaCaption: the turn's words, just above, are its transcript
            <audio
              className="turn-audio"
              controls
              preload="none"
              src={`/api/practice-sessions/${sessionId}/turns/${turn.seq}/audio`}
              aria-label={`Play what ${turn.speaker === "persona" ? personaName : learnerName === "You" ? "you" : learnerName} said`}
            />
          )}
          {afterTurn?.(turn)}
        </li>
      ))}
      {speaking && (
        <li className={speaking.final ? "turn turn-learner turn-speaking turn-pending" : "turn turn-learner turn-speaking"} aria-busy="true">
          <span className="turn-speaker">{learnerName}</span>
          <p className="turn-text">{speaking.text || <span className="typing">Listening…</span>}</p>
          {speaking.final && <span className="turn-note">Sending…</span>}
        </li>
      )}
      {streaming && (
        <li className="turn turn-persona turn-streaming" aria-busy="true">
          <span className="turn-speaker">{personaName}</span>
          <p className="turn-text">{streaming.text || <span className="typing">{personaName} is typing…</span>}</p>
        </li>
      )}
    </ol>
  );
}
