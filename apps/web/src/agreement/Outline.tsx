import { fmt, useMessages } from '../i18n/index.tsx';
import { agreementMessages } from '../i18n/messages/agreement.ts';
import { useAgreement, useAwarenessUsers } from '../shell/agreement-context.tsx';
import { getFeatures } from '../shell/registry.ts';
import { useValidation } from './useValidation.ts';
import { useSections } from './useSections.ts';

/** Table of contents: every section with its status, validation badge and feature badges (comments). */
export function Outline() {
  const t = useMessages(agreementMessages);
  const { focusTarget, awareness } = useAgreement();
  const sections = useSections();
  const validation = useValidation();
  const users = useAwarenessUsers(awareness).filter((u) => !u.self && u.sectionId);
  const badges = getFeatures().flatMap((f) => (f.SectionOutlineBadge ? [f.SectionOutlineBadge] : []));
  return (
    <nav className="outline" aria-label={t.outlineLabel}>
      <h2 className="outline__title">{t.outlineTitle}</h2>
      <p className="outline__progress small">
        {fmt(t.progress, { agreed: sections.filter((x) => x.status === 'agreed').length, total: sections.length })}
        <span className="outline__bar" aria-hidden="true">
          <span style={{ width: `${sections.length ? (100 * sections.filter((x) => x.status === 'agreed').length) / sections.length : 0}%` }} />
        </span>
      </p>
      <ol className="outline__list">
        {sections.map((s) => {
          const findings = validation?.bySection.get(s.id) ?? [];
          const errors = findings.filter((x) => x.severity === 'error').length;
          const warnings = findings.filter((x) => x.severity === 'warning').length;
          const here = users.filter((u) => u.sectionId === s.id);
          return (
            <li key={s.id} className={`outline__item outline__item--${s.status}`}>
              <a
                href={`#section-${s.id}`}
                onClick={(e) => {
                  e.preventDefault();
                  focusTarget({ kind: 'section', sectionId: s.id });
                }}
              >
                <span className="outline__num">{s.number}.</span>
                <span className="outline__text">{s.title}</span>
              </a>
              <span className="outline__meta">
                <span className={`status-dot status-dot--${s.status}`} title={s.status === 'agreed' ? t.statusAgreed : s.status === 'ready_for_review' ? t.statusReady : t.statusDraft}>
                  <span className="visually-hidden">{s.status === 'agreed' ? t.statusAgreed : s.status === 'ready_for_review' ? t.statusReady : t.statusDraft}</span>
                </span>
                {errors > 0 && (
                  <span className="badge badge--error" title={fmt(t.errorsCount, { count: errors })}>
                    {errors}
                    <span className="visually-hidden"> {fmt(t.errorsCount, { count: errors })}</span>
                  </span>
                )}
                {errors === 0 && warnings > 0 && (
                  <span className="badge badge--warning" title={fmt(t.warningsCount, { count: warnings })}>
                    {warnings}
                    <span className="visually-hidden"> {fmt(t.warningsCount, { count: warnings })}</span>
                  </span>
                )}
                {here.map((u) => (
                  <span key={u.clientId} className="outline__who" style={{ backgroundColor: u.color }} title={u.name}>
                    <span className="visually-hidden">{fmt(t.userHere, { name: u.name })}</span>
                  </span>
                ))}
                {badges.map((B, i) => (
                  <B key={i} sectionId={s.id} />
                ))}
              </span>
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
