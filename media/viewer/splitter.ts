// The bar between the table and the details: drag it (or press ↑/↓ on it) to share the height.

export function setupSplitter(bar: HTMLElement, main: HTMLElement, pane: HTMLElement): void {
  const setHeight = (h: number): void => {
    const max = Math.max(80, main.clientHeight - 120);
    pane.style.setProperty('flex-basis', `${Math.round(Math.max(80, Math.min(max, h)))}px`);
  };
  bar.addEventListener('pointerdown', (e) => {
    e.preventDefault();
    bar.setPointerCapture(e.pointerId);
    const move = (m: PointerEvent): void => setHeight(main.getBoundingClientRect().bottom - m.clientY);
    const up = (): void => { bar.removeEventListener('pointermove', move); bar.removeEventListener('pointerup', up); };
    bar.addEventListener('pointermove', move);
    bar.addEventListener('pointerup', up);
  });
  bar.addEventListener('keydown', (e) => {
    if (e.key !== 'ArrowUp' && e.key !== 'ArrowDown') return;
    e.preventDefault();
    setHeight(pane.getBoundingClientRect().height + (e.key === 'ArrowUp' ? 24 : -24));
  });
}
