// The file name an export suggests: named after the view (its files and what the filter keeps), safe on every OS. Pure.

import type { FilterDto } from './protocol';

// eslint-disable-next-line no-control-regex -- control characters are what it takes out of file names
const UNSAFE = /[\u0000-\u001f<>:"/\\|?*\u007f]+/g;

function clean(s: string, max = 40): string {
  return s.replace(UNSAFE, '_').replace(/\s+/g, '_').replace(/^[._]+|[._]+$/g, '').slice(0, max);
}

/**
 * E.g. `web_tracelog-Error-Warning-events.csv`, `web_tracelog+web_messages-events.json` for a merged view,
 * `web_tracelog-search-Tolkien-events.csv`. `activityLabel` names a filtered activity.
 */
export function exportFileName(names: readonly string[], filter: FilterDto, format: 'csv' | 'json', activityLabel = ''): string {
  const base = (n: string): string => clean(n.replace(/\.[^.]+$/, ''), 60) || 'trace';
  const files = names.length <= 2 ? names.map(base).join('+') : `${base(names[0])}+${names.length - 1}-more`;
  const parts = [files];
  if (filter.levels.length > 0 && filter.levels.length <= 3) parts.push(...filter.levels);
  else if (filter.levels.length > 3) parts.push(`${filter.levels.length}-levels`);
  if (filter.activityId) parts.push(`activity-${clean(activityLabel || filter.activityId, 30)}`);
  if (filter.text) parts.push(`search-${clean(filter.text, 30)}`);
  if (filter.from || filter.to) parts.push('time-range');
  if (filter.sources.length || filter.processes.length || filter.threads.length) parts.push('filtered');
  return `${parts.filter((p) => p !== '').join('-')}-events.${format}`;
}
