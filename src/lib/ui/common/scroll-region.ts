import type { Action } from 'svelte/action';

/**
 * Makes an overflowing box reachable by keyboard (axe `scrollable-region-focusable`):
 * while its content is larger than the box, it is a named, focusable region, so arrow
 * keys scroll it and the global focus ring shows where focus is. A box that fits is
 * left alone, so it adds no tab stop. Re-measured when the box or its content changes
 * (a `<details>` opened, a chart drawn, the window resized).
 */
export const scrollRegion: Action<HTMLElement, string> = (element, initialLabel) => {
  let label = initialLabel;
  const measure = (): void => {
    const overflows =
      element.scrollWidth > element.clientWidth + 1 || element.scrollHeight > element.clientHeight + 1;
    if (overflows) {
      element.tabIndex = 0;
      element.setAttribute('role', 'region');
      element.setAttribute('aria-label', label);
    } else {
      element.removeAttribute('tabindex');
      element.removeAttribute('role');
      element.removeAttribute('aria-label');
    }
  };
  const resized = new ResizeObserver(measure);
  // Two levels are enough (a table in the box, an SVG in a chart's host) and cheap: a
  // chart holds thousands of marks further down.
  const observeChildren = (): void => {
    for (const child of element.querySelectorAll(':scope > *, :scope > * > *')) resized.observe(child);
  };
  resized.observe(element);
  observeChildren();
  const changed = new MutationObserver(() => {
    observeChildren();
    measure();
  });
  changed.observe(element, { childList: true, subtree: true });
  measure();
  return {
    update(next: string) {
      label = next;
      measure();
    },
    destroy() {
      resized.disconnect();
      changed.disconnect();
    },
  };
};
