/**
 * The "Validering" tab: live findings from the shared validator, grouped by section, in document order.
 * Clicking a finding moves focus to the place it is about. Registered like any other feature.
 */
import type { Finding } from '@overens/model';
import { fmt, useLocale, useMessages } from '../../i18n/index.tsx';
import { agreementMessages } from '../../i18n/messages/agreement.ts';
import { useAgreement } from '../../shell/agreement-context.tsx';
import { registerFeature } from '../../shell/registry.ts';
import { useSections } from '../../agreement/useSections.ts';
import { useValidation } from '../../agreement/useValidation.ts';

function severityLabel(t: typeof agreementMessages.sv, s: Finding['severity']) {
  return s === 'error' ? t.severityError : s === 'warning' ? t.severityWarning : t.severityInfo;
}

function ValidationPanel() {
  const t = useMessages(agreementMessages);
  const { locale } = useLocale();
  const { focusTarget } = useAgreement();
  const validation = useValidation();
  const sections = useSections();
  if (!validation) return <p className="muted">{t.validationUnavailable}</p>;
  const { summary } = validation;
  const groups = [
    ...sections.map((s) => ({ id: s.id, title: `${s.number}. ${s.title}`, findings: validation.bySection.get(s.id) ?? [] })),
    { id: '', title: t.validationGeneral, findings: validation.bySection.get('') ?? [] },
  ].filter((g) => g.findings.length > 0);
  const order = { error: 0, warning: 1, info: 2 } as const;
  return (
    <div className="validation">
      <div className={`ready ${summary.readyToSign ? 'ready--yes' : 'ready--no'}`} role="status" aria-live="polite" data-ready={summary.readyToSign}>
        <strong>{summary.readyToSign ? t.readyToSign : t.notReadyToSign}</strong>
        <span className="small">
          {fmt(t.validationCounts, { errors: summary.errors, warnings: summary.warnings, infos: summary.infos })}
        </span>
      </div>
      {groups.length === 0 && <p className="muted">{t.noFindings}</p>}
      {groups.map((g) => (
        <section key={g.id || 'general'} className="validation__group" aria-label={g.title}>
          <h3 className="validation__section">{g.title}</h3>
          <ul className="validation__list">
            {[...g.findings]
              .sort((a, b) => order[a.severity] - order[b.severity])
              .map((f, i) => (
                <li key={`${f.ruleId}-${i}`} className={`finding finding--${f.severity}`} data-rule={f.ruleId}>
                  <button type="button" className="finding__button" onClick={() => focusTarget(f.target)}>
                    <span className={`finding__sev finding__sev--${f.severity}`}>{severityLabel(t, f.severity)}</span>
                    <span className="finding__msg">{f.message[locale]}</span>
                    {f.signingOnly && <span className="finding__note small">{t.signingOnly}</span>}
                  </button>
                </li>
              ))}
          </ul>
        </section>
      ))}
    </div>
  );
}

function ValidationBadge() {
  const validation = useValidation();
  if (!validation) return null;
  const n = validation.summary.errors;
  return n > 0 ? <span className="badge badge--error tabs__badge">{n}</span> : <span className="badge badge--ok tabs__badge" aria-hidden="true">✓</span>;
}

registerFeature({
  id: 'validation',
  sidePanelTabs: [
    {
      id: 'validation',
      order: 10,
      label: (l) => agreementMessages[l].validationTab,
      Panel: ValidationPanel,
      Badge: ValidationBadge,
    },
  ],
});
