// Level vocabulary of the webview: one place maps a level to its icon class and label.
import { isLevelName } from '../../src/traceViewer/filterVocabulary';

/** CSS class of a level (icon shape and colour come from traceViewer.css). */
export function levelClass(level: string): string {
  return `lv-${isLevelName(level) ? level.toLowerCase() : 'unknown'}`;
}

export function levelIcon(level: string): HTMLSpanElement {
  const s = document.createElement('span');
  s.className = `lv-icon ${levelClass(level)}`;
  s.setAttribute('aria-hidden', 'true');
  return s;
}
