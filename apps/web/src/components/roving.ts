/**
 * Roving tabindex for a toolbar (WAI-ARIA toolbar pattern): one Tab stop per toolbar, the arrow keys,
 * Home and End move between its enabled buttons, and the toolbar remembers the last one used.
 */
import { useLayoutEffect, useRef, type KeyboardEvent, type RefObject } from 'react';

export function useRovingToolbar(): { ref: RefObject<HTMLDivElement | null>; onKeyDown: (e: KeyboardEvent) => void; onFocus: (e: React.FocusEvent) => void } {
  const ref = useRef<HTMLDivElement | null>(null);
  const current = useRef(0);
  const buttons = () => [...(ref.current?.querySelectorAll<HTMLButtonElement>('button') ?? [])];
  const apply = () => {
    const all = buttons();
    const enabled = all.filter((b) => !b.disabled);
    let active = all[current.current];
    if (!active || active.disabled) active = enabled[0];
    for (const b of all) b.tabIndex = b === active ? 0 : -1;
  };
  // After every render: buttons come and go (table tools) and get enabled with the selection.
  useLayoutEffect(apply);
  const onKeyDown = (e: KeyboardEvent) => {
    const enabled = buttons().filter((b) => !b.disabled);
    const i = enabled.indexOf(document.activeElement as HTMLButtonElement);
    if (i < 0) return;
    let next = -1;
    if (e.key === 'ArrowRight') next = (i + 1) % enabled.length;
    else if (e.key === 'ArrowLeft') next = (i - 1 + enabled.length) % enabled.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = enabled.length - 1;
    if (next < 0) return;
    e.preventDefault();
    enabled[next]!.focus();
  };
  const onFocus = (e: React.FocusEvent) => {
    const i = buttons().indexOf(e.target as HTMLButtonElement);
    if (i >= 0) {
      current.current = i;
      apply();
    }
  };
  return { ref, onKeyDown, onFocus };
}
