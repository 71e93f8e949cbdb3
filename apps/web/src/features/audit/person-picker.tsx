import { PeoplePage } from "@spar/protocol";
import { useQuery } from "@tanstack/react-query";
import { useId, useState } from "react";
import { api } from "../../api/client.ts";
import { useDebounced } from "../../use-debounced.ts";
import { peopleUrl } from "../people/people-queries.ts";

/** Search-as-you-type over people: type part of a name or e-mail, then choose from the matches. */
export function PersonPicker({ onChoose }: { onChoose: (person: { id: string; name: string }) => void }) {
  const inputId = useId();
  const resultsId = useId();
  const [text, setText] = useState("");
  const search = useDebounced(text.trim());
  const matches = useQuery({
    queryKey: ["people", "picker", search],
    queryFn: () => api(peopleUrl({ search, limit: 8 }), PeoplePage),
    enabled: search.length > 0,
  });
  return (
    <div className="filter person-picker">
      <label htmlFor={inputId}>Person</label>
      <input
        id={inputId}
        type="search"
        placeholder="Name or e-mail"
        autoComplete="off"
        value={text}
        onChange={(event) => setText(event.target.value)}
        aria-controls={resultsId}
      />
      <div id={resultsId} aria-live="polite">
        {search && matches.data && (
          <ul className="picker-results">
            {matches.data.people.length === 0 && <li className="muted">Nobody matches.</li>}
            {matches.data.people.map((person) => (
              <li key={person.id}>
                <button
                  type="button"
                  className="link-button"
                  onClick={() => {
                    setText("");
                    onChoose({ id: person.id, name: person.name });
                  }}
                >
                  {person.name} <span className="muted">{person.email}</span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}
