// The activities pane beside the table: shown and hidden from the filter bar, loaded from the host when shown and
// again whenever the trace grew; the activity names it learns label the activity chip. Choosing one filters the table.
import type { ActivityDto, ViewDto } from '../../src/traceViewer/protocol';
import { ActivityView } from './activityView';
import type { Rpc } from './rpc';

export interface ActivityPaneHost {
  readonly t: (s: string) => string;
  readonly rpc: Rpc;
  /** Activity id → readable name, shared with what the rows tell. */
  readonly labels: Map<string, string>;
  readonly onSelect: (activityId: string | undefined) => void;
  /** The current view (activities are loaded again once it has more events). */
  readonly view: () => ViewDto | undefined;
  /** The activity the filter shows, if any. */
  readonly filtered: () => string | undefined;
  readonly showMessage: (text: string, isError: boolean) => void;
}

export class ActivityPane {
  readonly list: ActivityView;
  /** The number of events the list was loaded for (-1: not loaded). */
  private loadedAt = -1;

  constructor(private readonly h: ActivityPaneHost) {
    this.list = new ActivityView({ t: h.t, onSelect: h.onSelect });
    this.list.root.hidden = true;
  }

  get root(): HTMLElement {
    return this.list.root;
  }

  get shown(): boolean {
    return !this.list.root.hidden;
  }

  show(on: boolean): void {
    this.list.root.hidden = !on;
  }

  /** Loads the activities unless they were loaded for this many events already. */
  async load(): Promise<void> {
    const a = this.list;
    const v = this.h.view();
    if (!v || this.loadedAt === v.totalEvents) return;
    if (this.loadedAt < 0) a.setLoading();
    this.loadedAt = v.totalEvents;
    try {
      const { activities } = await this.h.rpc.request('getActivities', {});
      for (const x of activities) if (x.name) this.h.labels.set(x.id, x.name);
      a.setActivities(activities as ActivityDto[]);
      a.setSelected(this.h.filtered());
      document.body.dataset.activities = String(activities.length);
    } catch (e) {
      this.loadedAt = -1;
      this.h.showMessage((e as Error).message, true);
    }
  }
}
