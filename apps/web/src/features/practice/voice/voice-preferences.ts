// The learner's choices for voice practice, remembered in this browser. Storage may be refused
// (a private window, a locked-down profile): then the defaults hold and nothing breaks.

export type ReplyMode = "text" | "voice";

const modeKey = "spar.practice.reply-mode";
const reviewKey = "spar.practice.review-speech";

function read(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null;
  }
}

function write(key: string, value: string): void {
  try {
    window.localStorage.setItem(key, value);
  } catch {
    // Not remembered; the choice still holds on this page.
  }
}

/** Typing unless the learner chose to speak. */
export const savedReplyMode = (): ReplyMode => (read(modeKey) === "voice" ? "voice" : "text");
export const saveReplyMode = (mode: ReplyMode) => write(modeKey, mode);

/** Off unless the learner asked to check their words before they are sent. */
export const savedReview = (): boolean => read(reviewKey) === "on";
export const saveReview = (review: boolean) => write(reviewKey, review ? "on" : "off");
