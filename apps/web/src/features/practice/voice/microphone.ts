/** The microphone could not be had: refused, or none there. In words for the learner. */
export class MicrophoneError extends Error {}

/** The learner's microphone, with the browser's echo cancellation, noise suppression and gain control. */
export async function openMicrophone(): Promise<MediaStream> {
  try {
    return await navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true } });
  } catch (error) {
    const name = error instanceof DOMException ? error.name : "";
    if (name === "NotAllowedError" || name === "SecurityError")
      throw new MicrophoneError("Spar may not use your microphone. Allow it in your browser's settings for this site to speak, or type your replies.");
    if (name === "NotFoundError" || name === "OverconstrainedError") throw new MicrophoneError("No microphone was found. Connect one to speak, or type your replies.");
    if (!navigator.mediaDevices) throw new MicrophoneError("This page cannot use a microphone here: open Spar over https to speak, or type your replies.");
    throw new MicrophoneError("The microphone could not be started. Type your replies, or try again.");
  }
}
