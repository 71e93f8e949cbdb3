import { EditorView } from "@codemirror/view";

/**
 * The library editor's look, following the page's custom properties (--accent, --line, --ink).
 * Colours of the gutter and of tooltips are chosen for 4.5:1 contrast (the defaults' grey is too
 * light).
 *
 * @codemirror/lint draws its underlines and gutter markers as data: SVG images, which the
 * Content-Security-Policy (img-src 'self') refuses; they are redrawn here with CSS alone.
 */
export const yamlEditorTheme = EditorView.theme({
  "&": {
    height: "min(70vh, 40rem)",
    minHeight: "16rem",
    border: "1px solid #8a8f98",
    borderRadius: "8px",
    backgroundColor: "#ffffff",
    color: "var(--ink, #1b1f24)",
    fontSize: "0.85rem",
  },
  "&.cm-focused": {
    outline: "2px solid var(--accent, #1f5f8b)",
    outlineOffset: "2px",
  },
  ".cm-scroller": {
    fontFamily: 'ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace',
    lineHeight: "1.5",
    borderRadius: "8px",
  },
  ".cm-gutters": {
    backgroundColor: "#f3f2ee",
    color: "#4a5360",
    borderRight: "1px solid var(--line, #d9d6cf)",
    borderRadius: "8px 0 0 8px",
  },
  ".cm-activeLineGutter": { backgroundColor: "#e4e2dc", color: "#1b1f24" },
  ".cm-activeLine": { backgroundColor: "#eef4f9" },
  ".cm-tooltip": {
    maxWidth: "min(28rem, 90vw)",
    border: "1px solid #8a8f98",
    backgroundColor: "#ffffff",
    color: "#1b1f24",
    fontFamily: "system-ui, sans-serif",
  },
  ".cm-schema-documentation": { padding: "0.3rem 0.6rem" },
  ".cm-schema-documentation p": { margin: "0.25rem 0" },
  ".cm-tooltip.cm-tooltip-autocomplete > ul > li[aria-selected]": {
    backgroundColor: "var(--accent, #1f5f8b)",
    color: "#ffffff",
  },
  ".cm-completionDetail": { color: "inherit", fontStyle: "normal" },
  ".cm-lintRange-error, .cm-lintRange-warning, .cm-lintRange-info, .cm-lintRange-hint": {
    backgroundImage: "none",
    textDecorationLine: "underline",
    textDecorationStyle: "wavy",
    textDecorationSkipInk: "none",
    textUnderlineOffset: "3px",
  },
  ".cm-lintRange-error": { textDecorationColor: "#d1242f" },
  ".cm-lintRange-warning": { textDecorationColor: "#b35900" },
  ".cm-lintRange-info, .cm-lintRange-hint": { textDecorationColor: "#4a5360" },
  ".cm-lint-marker": { content: "normal", display: "inline-block", width: "0.8em", height: "0.8em", marginTop: "0.3em" },
  ".cm-lint-marker-error": { backgroundColor: "#d1242f", borderRadius: "50%" },
  ".cm-lint-marker-warning": { backgroundColor: "#b35900", clipPath: "polygon(50% 0, 100% 100%, 0 100%)" },
  ".cm-lint-marker-info": { backgroundColor: "#4a5360" },
  ".cm-completionInfo": { padding: "0.3rem 0.6rem", maxWidth: "20rem" },
});
