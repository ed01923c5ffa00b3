// Single-key shortcuts for a screen (n, j, k, Enter, ...), off while the user types in a field, so a coder
// can work a whole queue from the keyboard. Ctrl/Cmd+Enter is let through everywhere: it confirms a form.
import { useEffect, useRef } from 'react';

export type KeyMap = Record<string, (e: KeyboardEvent) => void>;

function typing(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el) return false;
  return el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName);
}

/** Keys are KeyboardEvent.key values ('n', 'Enter', 'Escape', '/'), or 'Mod+Enter' for Ctrl/Cmd+Enter. */
export function useKeys(keys: KeyMap, enabled = true): void {
  const ref = useRef(keys);
  ref.current = keys;
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
        const f = ref.current['Mod+Enter'];
        if (f) {
          e.preventDefault();
          f(e);
        }
        return;
      }
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === 'Escape') {
        const f = ref.current.Escape;
        if (f) f(e);
        return;
      }
      if (typing(e.target)) return;
      const f = ref.current[e.key];
      if (f) {
        e.preventDefault();
        f(e);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [enabled]);
}

/** The key strip under a screen: what each key does. */
export function KeyHints({ hints }: { hints: [string, string][] }) {
  return (
    <footer className="keyhints" aria-label="Keyboard shortcuts">
      {hints.map(([key, what]) => (
        <span key={key}>
          <kbd>{key}</kbd> {what}
        </span>
      ))}
    </footer>
  );
}
