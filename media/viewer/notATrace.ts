// The page shown instead of the viewer when a file holds no E2ETraceEvent: what was opened, why nothing is shown, and
// a way to reopen it as text. File names are set as text.
import type { InitDto } from '../../src/traceViewer/protocol';
import { button, el } from './dom';

export function notATracePage(init: InitDto, t: (s: string) => string, reopenAsText: () => void): HTMLElement {
  const names = init.files.map((f) => f.name).join(', ');
  return el('div', { className: 'not-a-trace', attrs: { role: 'alert' } },
    el('h1', { text: t('This file is not an E2ETraceEvent trace') }),
    el('p', { text: `${names}: ${t('no <E2ETraceEvent> element was found, so there is nothing to show as events.')}` }),
    button(t('Reopen as text'), reopenAsText, { className: 'primary' }));
}
