import type { VoiceAvailability } from "@spar/protocol";
import type { PracticeState } from "../practice-state.ts";
import { replySpeech } from "./reply-speech.ts";
import type { VoiceActivityState } from "./voice-conversation.ts";
import type { ReplyMode } from "./voice-preferences.ts";

interface VoicePanelProps {
  voice: VoiceAvailability | undefined;
  mode: ReplyMode;
  onModeChange: (mode: ReplyMode) => void;
  review: boolean;
  onReviewChange: (review: boolean) => void;
  activity: VoiceActivityState | null;
  speech: PracticeState["voice"];
  personaName: string;
  /** Why voice stopped (the microphone refused), in words for the learner. */
  problem: string | null;
  onResume: () => void;
  /** Drops the words awaiting review, so the learner can speak them again. */
  onSayAgain: () => void;
}

/** What is happening, in a few words: read out politely as it changes. */
function statusLabel(activity: VoiceActivityState | null, speech: PracticeState["voice"], personaName: string): string {
  if (!activity) return "Starting the microphone…";
  if (activity.suspended) return "Sound is paused until you turn it on.";
  if (!activity.ready) return "Getting ready to listen…";
  if (activity.learnerSpeaking) return "Listening… (you are speaking)";
  if (speech && !speech.final) return "Writing down what you said…";
  if (speech?.review) return "Check your words in the box below, then send them (or say them again).";
  if (activity.personaSpeaking) return `${personaName} is speaking…`;
  return "Listening… speak when you are ready.";
}

/** How the learner replies, typing or speaking, where the session can be practised by voice. */
export function VoicePanel({ voice, mode, onModeChange, review, onReviewChange, activity, speech, personaName, problem, onResume, onSayAgain }: VoicePanelProps) {
  if (!voice?.available) {
    return voice?.reason ? <p className="muted voice-unavailable">Speaking is not available here: {voice.reason}</p> : null;
  }
  const playing = activity?.personaSpeaking ?? false;
  return (
    <div className="voice-panel">
      <fieldset className="reply-mode">
        <legend>Reply by</legend>
        <label>
          <input type="radio" name="reply-mode" value="text" checked={mode === "text"} onChange={() => onModeChange("text")} />
          Typing
        </label>
        <label>
          <input type="radio" name="reply-mode" value="voice" checked={mode === "voice"} onChange={() => onModeChange("voice")} />
          Speaking
        </label>
      </fieldset>
      {mode === "voice" && (
        <>
          <label className="voice-review">
            <input type="checkbox" checked={review} onChange={(event) => onReviewChange(event.target.checked)} />
            Check my words before they are sent
          </label>
          <p className="voice-status" role="status" aria-live="polite" data-playing={playing ? "true" : "false"}>
            <span className={activity?.learnerSpeaking ? "voice-dot voice-dot-on" : "voice-dot"} aria-hidden="true" />
            {statusLabel(activity, speech, personaName)}
          </p>
          {replySpeech(voice.speech, window) === "text" && (
            <p className="muted voice-text-replies">This browser cannot read replies aloud: {personaName}'s replies appear here as text.</p>
          )}
          {activity?.suspended && (
            <button type="button" className="button" onClick={onResume}>
              Turn on sound and microphone
            </button>
          )}
          {speech?.final && speech.review && (
            <button type="button" className="button subtle" onClick={onSayAgain}>
              Say it again
            </button>
          )}
        </>
      )}
      {problem && (
        <p className="form-error" role="alert">
          {problem}
        </p>
      )}
    </div>
  );
}
