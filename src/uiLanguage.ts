// The one place that decides which of the two languages our bilingual data (catalog texts, reports) is shown in.
import * as vscode from 'vscode';

export type UiLanguage = 'en' | 'de';

export function uiLanguage(): UiLanguage {
  return vscode.env.language.toLowerCase().startsWith('de') ? 'de' : 'en';
}

/** The text of a bilingual pair in the display language. */
export function localized(text: { readonly en: string; readonly de: string }): string {
  return text[uiLanguage()];
}
