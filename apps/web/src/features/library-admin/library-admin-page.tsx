import { type LibraryIssue, loadLibrary, type Scenario } from "@spar/domain";
import { type LibraryFile, PublishLibraryFileResponse } from "@spar/protocol";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type ChangeEvent, useEffect, useId, useMemo, useRef, useState } from "react";
import { api } from "../../api/client.ts";
import { ConfirmDialog } from "../../components/confirm-dialog.tsx";
import { schemaForFile } from "./library-json-schema.ts";
import { libraryFilesQuery } from "./library-files-query.ts";
import { useUnsavedChangesGuard } from "./use-unsaved-changes-guard.ts";
import { ValidationProblems } from "./validation-problems.tsx";
import { YamlEditor, type YamlEditorHandle } from "./yaml-editor.tsx";
import "./library-admin.css";
import { LoadError } from "../../components/load-error.tsx";

/** Validates the edited file against the rest of the library, in the browser, as the CLI does. */
function useValidation(files: LibraryFile[], path: string, text: string) {
  const [result, setResult] = useState<{ issues: LibraryIssue[]; scenario: Scenario | null }>({
    issues: [],
    scenario: null,
  });
  useEffect(() => {
    let cancelled = false;
    const timer = window.setTimeout(async () => {
      const others = files.filter((file) => file.path !== path).map((file) => ({ path: file.path, text: file.text }));
      const { library, issues } = await loadLibrary([...others, { path, text }]);
      if (cancelled) return;
      const scenario = [...library.scenarios.values()].find((entry) => entry.file === path)?.value ?? null;
      setResult({ issues: issues.filter((issue) => issue.file === path), scenario });
    }, 250);
    return () => {
      cancelled = true;
      window.clearTimeout(timer);
    };
  }, [files, path, text]);
  return result;
}

/** For L&D: browse the library, edit or upload a file with live validation, preview it, publish. */
export function LibraryAdminPage() {
  const client = useQueryClient();
  const files = useQuery(libraryFilesQuery);
  const [path, setPath] = useState("");
  const [text, setText] = useState("");
  const editor = useRef<YamlEditorHandle>(null);
  const ids = { file: useId(), upload: useId(), path: useId(), editorLabel: useId() };
  const all = files.data?.files ?? [];
  const original = all.find((file) => file.path === path)?.text;
  const { issues, scenario } = useValidation(all, path, text);
  const errors = issues.filter((issue) => issue.severity !== "warning");
  const schema = useMemo(() => schemaForFile(path), [path]);
  // Unpublished: a published file edited, or a new file (uploaded or renamed) with any text.
  const unsaved = path !== "" && text !== (original ?? "");
  const leaving = useUnsavedChangesGuard(unsaved);
  const publish = useMutation({
    mutationFn: () => api("/api/library/files", PublishLibraryFileResponse, { method: "POST", body: { path, text } }),
    onSuccess: async (result) => {
      if (result.published) await client.invalidateQueries({ queryKey: libraryFilesQuery.queryKey });
    },
  });
  const grouped = useMemo(
    () => ({
      scenario: all.filter((file) => file.kind === "scenario"),
      rubric: all.filter((file) => file.kind === "rubric"),
      example: all.filter((file) => file.kind === "example"),
    }),
    [all],
  );

  // Opening or uploading another file over unpublished edits waits for the author to confirm.
  const [pendingSwitch, setPendingSwitch] = useState<(() => void) | null>(null);
  const switchFile = (apply: () => void) => (unsaved ? setPendingSwitch(() => apply) : apply());
  const open = (next: string) => switchFile(() => openNow(next));
  const openNow = (next: string) => {
    setPath(next);
    setText(all.find((file) => file.path === next)?.text ?? "");
    publish.reset();
  };
  const upload = async (event: ChangeEvent<HTMLInputElement>) => {
    const chosen = event.target.files?.[0];
    if (!chosen) return;
    const uploaded = await chosen.text();
    const id = uploaded.match(/^id:\s*([a-z0-9-]+)/m)?.[1] ?? chosen.name.replace(/\..*$/, "");
    // The same file may be chosen again after a cancelled switch.
    event.target.value = "";
    switchFile(() => {
      setPath(chosen.name.endsWith(".rubric.yaml") ? `rubrics/${chosen.name}` : `${id}/${chosen.name}`);
      setText(uploaded);
      publish.reset();
    });
  };
  if (files.isPending) return <p className="loading">Loading the library…</p>;
  if (files.isError) return <LoadError error={files.error} what="the library files" onRetry={() => files.refetch()} />;
  return (
    <main className="page library-admin" id="main">
      <h1>Scenario library</h1>
      <div className="filters">
        <div className="filter">
          <label htmlFor={ids.file}>Open a file</label>
          <select
            id={ids.file}
            value={all.some((file) => file.path === path) ? path : ""}
            onChange={(event) => open(event.target.value)}
          >
            <option value="">Choose…</option>
            {(["scenario", "rubric", "example"] as const).map((kind) => (
              <optgroup key={kind} label={`${kind[0]?.toUpperCase()}${kind.slice(1)}s`}>
                {grouped[kind].map((file) => (
                  <option key={file.path} value={file.path}>
                    {file.title ?? file.path}
                    {file.version ? ` (v${file.version}, ${file.contentHash?.slice(0, 8)})` : ""}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        </div>
        <div className="filter">
          <label htmlFor={ids.upload}>Or upload a YAML file</label>
          <input id={ids.upload} type="file" accept=".yaml,.yml" onChange={upload} />
        </div>
      </div>
      {path && (
        <div className="library-editor">
          <div>
            <div className="field">
              <label htmlFor={ids.path}>Path in the library</label>
              <input id={ids.path} value={path} onChange={(event) => setPath(event.target.value)} />
            </div>
            <div className="field">
              {/* Not a <label>: only form controls can be labelled by one, and the editor is a
                  contenteditable element, which this text names through aria-labelledby. */}
              <span className="field-label" id={ids.editorLabel}>
                YAML
              </span>
              <YamlEditor
                ref={editor}
                labelledBy={ids.editorLabel}
                value={text}
                onChange={setText}
                issues={issues}
                schema={schema}
              />
            </div>
            <ValidationProblems issues={issues} onGoTo={(issue) => editor.current?.goTo(issue)} />
            <button
              type="button"
              className="button primary"
              disabled={errors.length > 0 || text === original || publish.isPending}
              onClick={() => publish.mutate()}
            >
              Publish
            </button>
            {publish.data?.published && (
              <p className="passed" role="status">
                Published: the library now uses this version.
              </p>
            )}
            {publish.data && !publish.data.published && (
              <p className="form-error">
                Not published: {publish.data.issues.map((issue) => issue.message).join("; ")}
              </p>
            )}
            {publish.error && <p className="form-error">{publish.error.message}</p>}
          </div>
          {scenario && (
            <aside className="card" aria-labelledby="preview-heading">
              <h2 id="preview-heading">Preview</h2>
              <h3>{scenario.title}</h3>
              <p>{scenario.summary}</p>
              <h4>The learner's brief</h4>
              <p>{scenario.brief.role}</p>
              <p>{scenario.brief.situation}</p>
              <p>
                <strong>Goal:</strong> {scenario.brief.objective}
              </p>
              <h4>The persona</h4>
              <p>
                {scenario.persona.name}, {scenario.persona.role}: “{scenario.persona.opening_line}”
              </p>
              <p className="muted">
                {scenario.rules.length} behaviour rules, {scenario.persona.hidden.length} hidden facts, scored on{" "}
                {scenario.rubric}.
              </p>
            </aside>
          )}
        </div>
      )}
      <ConfirmDialog
        open={leaving.state === "blocked" || pendingSwitch !== null}
        title="Discard your unpublished edits?"
        confirmLabel="Discard edits"
        danger
        onConfirm={() => {
          if (leaving.state === "blocked") leaving.proceed();
          pendingSwitch?.();
          setPendingSwitch(null);
        }}
        onCancel={() => {
          if (leaving.state === "blocked") leaving.reset();
          setPendingSwitch(null);
        }}
      >
        <p>
          The changes to <code>{path}</code> have not been published. Leaving them now loses them.
        </p>
      </ConfirmDialog>
    </main>
  );
}
