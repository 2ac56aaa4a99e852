// What the viewer derives from the whole collection and keeps until the collection changes: facet counts, the
// activity graph with its DTOs, and activity names. Pure.

import { buildActivities, type ActivityGraph, type TraceCollection } from '../trace';
import { activityDtos } from './dto';
import type { ActivityDto, FacetsDto } from './protocol';

export class CollectionCache {
  private facetsCache: { version: number; facets: FacetsDto } | undefined;
  private activitiesCache: { version: number; graph: ActivityGraph; dtos: ActivityDto[] } | undefined;

  constructor(private readonly collection: TraceCollection) {}

  facets(): FacetsDto {
    const v = this.collection.version;
    if (!this.facetsCache || this.facetsCache.version !== v) {
      const f = this.collection.facets();
      this.facetsCache = { version: v, facets: { levels: f.levels, sources: f.sources, processes: f.processes, threads: f.threads } };
    }
    return this.facetsCache.facets;
  }

  activities(): { graph: ActivityGraph; dtos: ActivityDto[] } {
    const v = this.collection.version;
    if (!this.activitiesCache || this.activitiesCache.version !== v) {
      const graph = buildActivities(this.collection);
      this.activitiesCache = { version: v, graph, dtos: activityDtos(graph) };
    }
    return this.activitiesCache;
  }

  /** The name of an activity (from its Start event in any file), or ''. */
  activityName(activityId: string): string {
    if (!activityId) return '';
    const c = this.collection;
    const id = c.pools.activity.find(activityId);
    if (id <= 0) return '';
    for (const f of c.files) {
      const name = f.store.activityNames.get(id);
      if (name !== undefined) return c.pools.names.get(name);
    }
    return '';
  }
}
