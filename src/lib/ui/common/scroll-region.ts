import type { Action } from 'svelte/action';

/**
 * Makes an overflowing box reachable by keyboard (axe `scrollable-region-focusable`):
 * while its content is larger than the box, it is a named, focusable region, so arrow
 * keys scroll it and the global focus ring shows where focus is. A box that fits is
 * left alone, so it adds no tab stop. Re-measured when the box or its content changes
 * (a `<details>` opened, a chart drawn, the window resized).
 *
 * Every box shares one ResizeObserver and is measured in one batch per frame: all
 * sizes are read, then all attributes written. Measuring each box on its own, read
 * then write, forced a layout of the whole page per box: an imported audit with
 * 3,000 findings (6,000 boxes, hidden in closed <details>) took 95 s to open.
 */
export const scrollRegion: Action<HTMLElement, string> = (element, initialLabel) => {
  labels.set(element, initialLabel);
  boxOf.set(element, element);
  observer().observe(element);
  observeChildren(element);
  const changed = new MutationObserver(() => {
    observeChildren(element);
    schedule(element);
  });
  changed.observe(element, { childList: true, subtree: true });
  // A box inside a closed <details> is not laid out: it is measured when its details open.
  const details = element.closest('details');
  const toggled = (): void => schedule(element);
  details?.addEventListener('toggle', toggled);
  schedule(element);
  return {
    update(next: string) {
      labels.set(element, next);
      schedule(element);
    },
    destroy() {
      changed.disconnect();
      details?.removeEventListener('toggle', toggled);
      observer().unobserve(element);
      pending.delete(element);
      labels.delete(element);
    },
  };
};

const labels = new WeakMap<HTMLElement, string>();
/** The box each observed element (the box itself or a child) belongs to. */
const boxOf = new WeakMap<Element, HTMLElement>();
const pending = new Set<HTMLElement>();
let frame: number | null = null;
let shared: ResizeObserver | null = null;

function observer(): ResizeObserver {
  shared ??= new ResizeObserver((entries) => {
    for (const entry of entries) {
      const box = boxOf.get(entry.target);
      if (box) schedule(box);
    }
  });
  return shared;
}

/** Two levels are enough (a table in the box, an SVG in a chart's host) and cheap: a chart holds thousands of marks further down. */
function observeChildren(box: HTMLElement): void {
  for (const child of box.querySelectorAll(':scope > *, :scope > * > *')) {
    if (boxOf.get(child) === box) continue;
    boxOf.set(child, box);
    observer().observe(child);
  }
}

function schedule(box: HTMLElement): void {
  pending.add(box);
  frame ??= requestAnimationFrame(measureAll);
}

function measureAll(): void {
  frame = null;
  const boxes = [...pending].filter((box) => box.isConnected);
  pending.clear();
  // Reads first (one layout for all), then writes, and only where the state changes. A box
  // hidden in a closed <details> is never read: reading it would lay out what is not shown.
  const overflowing = boxes.map(
    (box) =>
      box.closest('details:not([open])') === null &&
      (box.scrollWidth > box.clientWidth + 1 || box.scrollHeight > box.clientHeight + 1),
  );
  boxes.forEach((box, i) => {
    const label = labels.get(box) ?? '';
    if (overflowing[i]) {
      if (box.getAttribute('role') !== 'region') box.setAttribute('role', 'region');
      if (box.tabIndex !== 0) box.tabIndex = 0;
      if (box.getAttribute('aria-label') !== label) box.setAttribute('aria-label', label);
    } else if (box.hasAttribute('role')) {
      box.removeAttribute('tabindex');
      box.removeAttribute('role');
      box.removeAttribute('aria-label');
    }
  });
}
