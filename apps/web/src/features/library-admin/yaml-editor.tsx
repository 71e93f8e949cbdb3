import { autocompletion, completionKeymap } from "@codemirror/autocomplete";
import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import { yaml } from "@codemirror/lang-yaml";
import { bracketMatching, defaultHighlightStyle, indentOnInput, syntaxHighlighting } from "@codemirror/language";
import { lintGutter, lintKeymap, setDiagnostics } from "@codemirror/lint";
import { Compartment, EditorState } from "@codemirror/state";
import {
  drawSelection,
  EditorView,
  highlightActiveLine,
  highlightActiveLineGutter,
  keymap,
  lineNumbers,
} from "@codemirror/view";
import type { LibraryIssue } from "@spar/domain";
import { type Ref, useEffect, useImperativeHandle, useRef } from "react";
import { mountCodeMirrorStylesInConstructedSheet } from "./codemirror-styles-in-constructed-sheet.ts";
import { issueDiagnostics, issuePosition } from "./issue-diagnostics.ts";
import type { SchemaNode } from "./library-json-schema.ts";
import { librarySchema, schemaCompletion, schemaHover } from "./schema-assist.ts";
import { yamlEditorTheme } from "./yaml-editor-theme.ts";

export interface YamlEditorHandle {
  /** Puts the cursor at a problem's line and column, scrolls it into view and focuses the editor. */
  goTo(place: Pick<LibraryIssue, "line" | "column">): void;
}

interface YamlEditorProps {
  /** The id of the visible text that names the editor for assistive technology. */
  labelledBy: string;
  value: string;
  onChange: (text: string) => void;
  issues: readonly LibraryIssue[];
  schema: SchemaNode | null;
  ref?: Ref<YamlEditorHandle>;
}

/**
 * A CodeMirror 6 editor for library YAML: highlighting, line numbers, lines kept whole (YAML's
 * meaning is in its indentation, which soft wrapping hides), the validator's issues marked at
 * their lines, and completion and documentation from the file's JSON Schema.
 *
 * CodeMirror's own styles go into a constructed style sheet, which the Content-Security-Policy
 * allows (codemirror-styles-in-constructed-sheet.ts); the editor's look is its theme
 * (yaml-editor-theme.ts).
 */
export function YamlEditor({ labelledBy, value, onChange, issues, schema, ref }: YamlEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const schemaSlot = useRef(new Compartment());
  // The editor is made once; it calls whatever onChange the latest render passed.
  const latestOnChange = useRef(onChange);
  latestOnChange.current = onChange;

  const latestIssues = useRef(issues);
  latestIssues.current = issues;

  // The editor's state for a document; made afresh for every file, so undo never reaches back
  // into the file opened before.
  const stateFor = (doc: string) =>
    EditorState.create({
      doc,
      extensions: [
        lineNumbers(),
        highlightActiveLineGutter(),
        lintGutter(),
        history(),
        drawSelection(),
        indentOnInput(),
        bracketMatching(),
        highlightActiveLine(),
        syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
        yaml(),
        EditorState.tabSize.of(2),
        schemaSlot.current.of(librarySchema.of(schema)),
        autocompletion({ override: [schemaCompletion] }),
        schemaHover,
        // No indentWithTab: Tab keeps moving focus out of the editor, so keyboard users are not
        // trapped in it (YAML is indented with spaces, which Enter keeps).
        keymap.of([...defaultKeymap, ...historyKeymap, ...completionKeymap, ...lintKeymap]),
        // tabindex: the text area is focusable as it is (contenteditable), but axe's check that the
        // scrolling region can be reached by keyboard only counts elements that say so.
        EditorView.contentAttributes.of({ "aria-labelledby": labelledBy, tabindex: "0" }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) latestOnChange.current(update.state.doc.toString());
        }),
        yamlEditorTheme,
      ],
    });
  const showIssues = (editor: EditorView) =>
    editor.dispatch(setDiagnostics(editor.state, issueDiagnostics(latestIssues.current, editor.state.doc)));

  // biome-ignore lint/correctness/useExhaustiveDependencies: made once per mount; value, schema and issues reach the editor through the effects below
  useEffect(() => {
    const element = host.current;
    if (!element) return;
    mountCodeMirrorStylesInConstructedSheet();
    const created = new EditorView({ parent: element, state: stateFor(value) });
    showIssues(created);
    view.current = created;
    return () => {
      created.destroy();
      view.current = null;
    };
  }, []);

  // Another file opened or uploaded. Typing also changes value, but then it already matches.
  // biome-ignore lint/correctness/useExhaustiveDependencies: stateFor reads the latest props itself
  useEffect(() => {
    const current = view.current;
    if (!current || current.state.doc.toString() === value) return;
    current.setState(stateFor(value));
    showIssues(current);
  }, [value]);

  useEffect(() => {
    view.current?.dispatch({ effects: schemaSlot.current.reconfigure(librarySchema.of(schema)) });
  }, [schema]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: showIssues reads the latest issues itself
  useEffect(() => {
    if (view.current) showIssues(view.current);
  }, [issues]);

  useImperativeHandle(
    ref,
    () => ({
      goTo(place) {
        const current = view.current;
        if (!current) return;
        const position = issuePosition(place, current.state.doc);
        current.focus();
        current.dispatch({
          selection: { anchor: position },
          effects: EditorView.scrollIntoView(position, { y: "center" }),
        });
      },
    }),
    [],
  );

  return <div className="yaml-editor" ref={host} />;
}
