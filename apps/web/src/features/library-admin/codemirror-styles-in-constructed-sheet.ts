import { StyleModule } from "style-mod";

/**
 * CodeMirror writes its styles into a <style> element at run time, which Spar's
 * Content-Security-Policy (style-src 'self', no nonces: the page is a static file) refuses. A
 * style sheet built through the CSS object model and adopted by the document is not governed by
 * the policy, so CodeMirror's style modules are mounted into one instead. The order is kept as
 * style-mod keeps it (a module mounted again moves after those it must follow), so themes still
 * override base themes.
 *
 * Replacing StyleModule.mount is the one seam style-mod offers for where styles go; the other,
 * EditorView.cspNonce, needs a nonce the server would have to put in every page's policy.
 */
let mounted: StyleModule[] | null = null;

export function mountCodeMirrorStylesInConstructedSheet(): void {
  if (mounted) return;
  const modules: StyleModule[] = [];
  mounted = modules;
  const sheet = new CSSStyleSheet();
  document.adoptedStyleSheets = [sheet, ...document.adoptedStyleSheets];
  StyleModule.mount = (_root, toMount) => {
    let changed = false;
    let next = 0;
    for (const module of Array.isArray(toMount) ? toMount : [toMount as StyleModule]) {
      let index = modules.indexOf(module);
      if (index > -1 && index < next) {
        // Mounted before something it must now follow: moved after it.
        modules.splice(index, 1);
        next--;
        index = -1;
      }
      if (index === -1) {
        modules.splice(next++, 0, module);
        changed = true;
      } else {
        next = index + 1;
      }
    }
    if (changed) sheet.replaceSync(modules.map((module) => module.getRules()).join("\n"));
  };
}
