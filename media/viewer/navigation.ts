// Back and forward between rows the user jumped between (find, F9/F10/F11, go to related activity, message and
// graph views), with the ← / → buttons of the toolbar (Alt+Left / Alt+Right).
import { button } from './dom';

export class Navigation {
  readonly back: HTMLButtonElement;
  readonly forward: HTMLButtonElement;
  private readonly backStack: number[] = [];
  private readonly forwardStack: number[] = [];

  constructor(t: (s: string) => string, private readonly current: () => number, private readonly select: (index: number) => void, private readonly total: () => number) {
    this.back = button('\u2190', () => this.go(-1), { className: 'icon', title: t('Back (Alt+Left)'), attrs: { 'aria-label': t('Back') } });
    this.forward = button('\u2192', () => this.go(1), { className: 'icon', title: t('Forward (Alt+Right)'), attrs: { 'aria-label': t('Forward') } });
    this.draw();
  }

  /** Selects a row as a jump: the row left behind goes on the Back stack. */
  jumpTo(index: number): void {
    const from = this.current();
    if (from >= 0 && from !== index) { this.backStack.push(from); this.forwardStack.length = 0; }
    if (this.backStack.length > 200) this.backStack.shift();
    this.select(index);
    this.draw();
  }

  go(d: -1 | 1): void {
    const from = d < 0 ? this.backStack : this.forwardStack;
    const to = d < 0 ? this.forwardStack : this.backStack;
    const index = from.pop();
    if (index === undefined || index >= this.total()) { this.draw(); return; }
    const cur = this.current();
    if (cur >= 0) to.push(cur);
    this.select(index);
    this.draw();
  }

  private draw(): void {
    this.back.disabled = this.backStack.length === 0;
    this.forward.disabled = this.forwardStack.length === 0;
  }
}
