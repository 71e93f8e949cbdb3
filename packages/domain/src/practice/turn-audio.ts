// A spoken turn's audio, kept only where the server is set to keep it (SPAR_KEEP_AUDIO, off by
// default): a WAV file per turn, deleted with its turn (erasure, retention).

export interface TurnAudio {
  /** A WAV file: 16-bit mono PCM. */
  wav: Uint8Array;
  durationMs: number;
}

export interface TurnAudioStore {
  /** Keeps a turn's audio once (a second copy of the same turn is ignored). */
  keep(sessionId: string, seq: number, audio: TurnAudio): Promise<void>;
  find(sessionId: string, seq: number): Promise<TurnAudio | null>;
}
