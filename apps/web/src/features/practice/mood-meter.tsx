import type { PersonaMood } from "@spar/protocol";
import { useEffect, useRef, useState } from "react";
import { describeMoodChange } from "./persona-mood.ts";

/** One part of the mood as a meter: its name, the bar, and "4 of 10" in words. */
function MoodRow({ part, label, value }: { part: keyof PersonaMood; label: string; value: number }) {
  const labelId = `mood-${part}-label`;
  return (
    <div className={`mood-row mood-${part}`}>
      <span className="mood-label" id={labelId}>
        {label}
      </span>
      <meter min={0} max={10} value={value} aria-labelledby={labelId} aria-valuetext={`${value} of 10`} />
      <span className="mood-value" aria-hidden="true">
        {value} of 10
      </span>
    </div>
  );
}

/**
 * The live mood meter, a training aid on scenarios that show it: the persona's trust and
 * resistance after its latest reply. A change is announced politely once the reply is complete,
 * never word by word.
 */
export function MoodMeter({ mood, personaName }: { mood: PersonaMood; personaName: string }) {
  const previous = useRef(mood);
  const [announcement, setAnnouncement] = useState("");
  useEffect(() => {
    const change = describeMoodChange(previous.current, mood);
    previous.current = mood;
    if (change) setAnnouncement(`${personaName}'s mood: ${change}`);
  }, [mood, personaName]);

  return (
    <section className="mood-meter" aria-labelledby="mood-meter-title">
      <h2 id="mood-meter-title" className="mood-meter-title">
        How {personaName} feels
      </h2>
      <MoodRow part="trust" label="Trust" value={mood.trust} />
      <MoodRow part="resistance" label="Resistance" value={mood.resistance} />
      <p className="mood-meter-hint muted">Rising trust and falling resistance mean your words are landing.</p>
      <p className="visually-hidden" aria-live="polite">
        {announcement}
      </p>
    </section>
  );
}
