import { Suspense, useRef, type KeyboardEvent } from 'react';
import { Loading } from '../components/Layout.tsx';
import { useLocale, useMessages } from '../i18n/index.tsx';
import { agreementMessages } from '../i18n/messages/agreement.ts';
import { getSidePanelTabs } from '../shell/registry.ts';

/** Right-hand panel with tabs (WAI-ARIA tabs pattern, automatic activation, arrow keys between tabs). */
export function SidePanel({ active, onChange }: { active: string; onChange: (id: string) => void }) {
  const t = useMessages(agreementMessages);
  const { locale } = useLocale();
  const tabs = getSidePanelTabs();
  const refs = useRef(new Map<string, HTMLButtonElement>());
  const current = tabs.find((x) => x.id === active) ?? tabs[0];
  if (!current) return null;
  const onKey = (e: KeyboardEvent, i: number) => {
    let next = -1;
    if (e.key === 'ArrowRight') next = (i + 1) % tabs.length;
    else if (e.key === 'ArrowLeft') next = (i - 1 + tabs.length) % tabs.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = tabs.length - 1;
    if (next < 0) return;
    e.preventDefault();
    const tab = tabs[next]!;
    onChange(tab.id);
    refs.current.get(tab.id)?.focus();
  };
  const Panel = current.Panel;
  return (
    <aside className="side-panel" id="side-panel" tabIndex={-1} aria-label={t.sidePanelLabel}>
      <div role="tablist" aria-label={t.sidePanelLabel} className="tabs">
        {tabs.map((tab, i) => {
          const Badge = tab.Badge;
          const selected = tab.id === current.id;
          return (
            <button
              key={tab.id}
              ref={(el) => {
                if (el) refs.current.set(tab.id, el);
                else refs.current.delete(tab.id);
              }}
              type="button"
              role="tab"
              id={`tab-${tab.id}`}
              aria-selected={selected}
              aria-controls={`tabpanel-${tab.id}`}
              tabIndex={selected ? 0 : -1}
              className={`tabs__tab${selected ? ' is-selected' : ''}`}
              onClick={() => onChange(tab.id)}
              onKeyDown={(e) => onKey(e, i)}
            >
              {tab.label(locale)}
              {Badge && <Badge />}
            </button>
          );
        })}
      </div>
      <div role="tabpanel" id={`tabpanel-${current.id}`} aria-labelledby={`tab-${current.id}`} className="tabs__panel" tabIndex={0}>
        <Suspense fallback={<Loading />}>
          <Panel />
        </Suspense>
      </div>
    </aside>
  );
}
