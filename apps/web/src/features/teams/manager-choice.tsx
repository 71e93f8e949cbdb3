import type { Person } from "@spar/protocol";

/** Checkboxes over the people with the manager role: a team may have several managers. */
export function ManagerChoice({
  managers,
  chosen,
  onChange,
  error,
}: {
  managers: Person[];
  chosen: string[];
  onChange: (ids: string[]) => void;
  error?: string | undefined;
}) {
  const toggle = (id: string, on: boolean) => onChange(on ? [...chosen, id] : chosen.filter((each) => each !== id));
  return (
    <fieldset className="manager-choice">
      <legend>Managers</legend>
      {managers.length === 0 && (
        <p className="muted">Nobody has the manager role yet: give someone that role on the People page first.</p>
      )}
      {managers.map((manager) => (
        <label key={manager.id} className="check">
          <input
            type="checkbox"
            checked={chosen.includes(manager.id)}
            onChange={(event) => toggle(manager.id, event.target.checked)}
          />
          {manager.name}
          {manager.status === "deactivated" && <span className="muted"> (deactivated)</span>}
        </label>
      ))}
      {error && <p className="field-error">{error}</p>}
    </fieldset>
  );
}
