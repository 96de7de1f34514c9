/**
 * Redigera / Föreslå / Visa in the agreement's title bar: native radio buttons (arrow keys move
 * between them), shown as a segmented control. Editors get all three, commenters Föreslå and Visa,
 * viewers nothing (they only read).
 */
import { useId } from 'react';
import { useMessages } from '../../i18n/index.tsx';
import { suggestionMessages } from '../../i18n/messages/suggestions.ts';
import { useAgreement } from '../../shell/agreement-context.tsx';
import { setEditMode, useEditMode, type EditMode } from './mode.ts';
import { modesFor } from './permissions.ts';

export function ModeSwitch() {
  const t = useMessages(suggestionMessages);
  const agreement = useAgreement();
  const allowed = modesFor(agreement);
  const mode = useEditMode(agreement.agreementId, allowed);
  const name = useId();
  if (allowed.length < 2) return null;
  const label: Record<EditMode, string> = { edit: t.modeEdit, suggest: t.modeSuggest, view: t.modeView };
  const hint: Record<EditMode, string> = { edit: t.modeEditHint, suggest: t.modeSuggestHint, view: t.modeViewHint };
  return (
    <fieldset className="mode-switch" data-testid="mode-switch" aria-describedby={`${name}-hint`}>
      <legend className="visually-hidden">{t.modeLabel}</legend>
      {allowed.map((m) => (
        <label key={m} className={`mode-switch__option${m === mode ? ' is-active' : ''}`} title={hint[m]}>
          <input type="radio" name={name} value={m} checked={m === mode} onChange={() => setEditMode(agreement.agreementId, m)} />
          <span>{label[m]}</span>
        </label>
      ))}
      <span id={`${name}-hint`} className="visually-hidden">{hint[mode]}</span>
    </fieldset>
  );
}
