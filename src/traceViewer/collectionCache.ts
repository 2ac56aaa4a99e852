// What the viewer derives from the whole collection and keeps until the collection changes: facet counts, the
// activity graph with its DTOs, and activity names. Pure.

import { buildActivities, splitKey, type ActivityGraph, type FacetCount, type TraceCollection } from '../trace';
import { activityDtos } from './dto';
import { ActivityLabels } from './labels';
import type { ActivityDto, FacetName, FacetsDto } from './protocol';
import { facetPage } from './paging';

export class CollectionCache {
  private facetsCache: { version: number; facets: FacetsDto; full: { readonly [F in FacetName]: readonly FacetCount[] } } | undefined;
  private activitiesCache: { version: number; graph: ActivityGraph; dtos: ActivityDto[] } | undefined;

  readonly labels: ActivityLabels;

  constructor(private readonly collection: TraceCollection) {
    this.labels = new ActivityLabels(collection);
  }

  facets(): FacetsDto {
    const v = this.collection.version;
    if (!this.facetsCache || this.facetsCache.version !== v) {
      const f = this.collection.facets();
      // Processes are told apart by PID (one entry per run), threads belong to their process run.
      const processName = new Map<number, string>();
      for (const p of f.processRuns) { const k = splitKey(p.value); if (k && !processName.has(k.pid)) processName.set(k.pid, k.rest); }
      const runs: FacetCount[] = f.processRuns.map((p) => {
        const k = splitKey(p.value);
        return { ...p, label: k ? `${k.rest || '?'} (${k.pid})` : p.value };
      });
      const threads: FacetCount[] = f.processThreads.map((t) => {
        const k = splitKey(t.value);
        return { ...t, label: k ? `${k.rest || '?'} \u00b7 ${processName.get(k.pid) ?? ''} (${k.pid})` : t.value };
      });
      // A ViewDto carries one page of each facet (issue 10); getFacet serves the rest from `full`.
      this.facetsCache = {
        version: v,
        facets: {
          levels: f.levels, sources: facetPage(f.sources, 0), processes: facetPage(runs, 0), threads: facetPage(threads, 0),
          totals: { sources: f.sources.length, processes: runs.length, threads: threads.length },
        },
        full: { sources: f.sources, processes: runs, threads },
      };
    }
    return this.facetsCache.facets;
  }

  /** Every value of one facet (uncapped; for getFacet pages). */
  facetValues(facet: FacetName): readonly FacetCount[] {
    this.facets();
    return this.facetsCache?.full[facet] ?? [];
  }

  activities(): { graph: ActivityGraph; dtos: ActivityDto[] } {
    const v = this.collection.version;
    if (!this.activitiesCache || this.activitiesCache.version !== v) {
      const graph = buildActivities(this.collection);
      this.activitiesCache = { version: v, graph, dtos: activityDtos(graph).map((a) => (a.name ? a : { ...a, name: this.labels.label(a.id), unnamed: true })) };
    }
    return this.activitiesCache;
  }

  /** The name of an activity (from its Start event in any file), or ''. */
  activityName(activityId: string): string {
    return this.labels.name(activityId);
  }
}
