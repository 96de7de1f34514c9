import { AgreementDoc } from '@overens/model';
import { useMemo, useState, type InputHTMLAttributes, type KeyboardEvent } from 'react';
import { useLocale } from '../../i18n/index.tsx';
import { useAgreement, useDocVersion } from '../../shell/agreement-context.tsx';

/** The typed accessor facade plus a version that changes with every doc change (re-render trigger). */
export function useAdoc(): { adoc: AgreementDoc; version: number } {
  const { doc } = useAgreement();
  const version = useDocVersion(doc);
  const adoc = useMemo(() => new AgreementDoc(doc), [doc]);
  return { adoc, version };
}

interface CellProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange'> {
  value: string;
  onValue: (v: string) => void;
  label: string;
}

/** An input that writes through to the shared doc on every change (live for everyone). */
export function CellInput({ value, onValue, label, readOnly, ...rest }: CellProps) {
  return (
    <input
      className="cell-input"
      aria-label={label}
      value={value}
      readOnly={readOnly}
      aria-readonly={readOnly || undefined}
      onChange={(e) => onValue(e.target.value)}
      {...rest}
    />
  );
}

export function parseNumber(s: string): number | null {
  const clean = s.replace(/\s/g, '').replace(',', '.');
  if (!clean) return null;
  const n = Number(clean);
  return Number.isFinite(n) ? n : null;
}

/**
 * A number field that writes through to the shared doc as it is typed, but keeps the text while it has
 * focus, so "0," on the way to "0,5" is not rewritten to "0". Decimal comma or point; spaces ignored.
 */
export function NumberInput({ value, onNumber, readOnly, ...rest }: Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange'> & { value: number | null; onNumber: (n: number | null) => void }) {
  const { locale } = useLocale();
  const [draft, setDraft] = useState<string | null>(null);
  const shown = draft ?? (value === null ? '' : locale === 'sv' ? String(value).replace('.', ',') : String(value));
  const unparsable = draft !== null && draft.trim() !== '' && parseNumber(draft) === null;
  return (
    <input
      inputMode="decimal"
      value={shown}
      readOnly={readOnly}
      aria-readonly={readOnly || undefined}
      aria-invalid={unparsable || undefined}
      onChange={(e) => {
        const text = e.target.value;
        setDraft(text);
        if (text.trim() === '') onNumber(null);
        else {
          const n = parseNumber(text);
          if (n !== null) onNumber(n);
        }
      }}
      onBlur={() => setDraft(null)}
      {...rest}
    />
  );
}

/**
 * Arrow keys between the cells of a structured table (`[data-cell][data-row][data-col]`), like a
 * grid: up/down change rows, left/right leave a text cell only at its start/end. Date inputs and
 * selects keep their own arrow keys (Tab moves on from them).
 */
export function gridKeys(e: KeyboardEvent<HTMLTableElement>): void {
  const el = e.target as HTMLElement;
  const cell = el.closest<HTMLElement>('[data-cell]');
  if (!cell) return;
  const row = Number(cell.dataset.row);
  const col = Number(cell.dataset.col);
  let dr = 0;
  let dc = 0;
  if ((el instanceof HTMLInputElement && el.type === 'date') || el instanceof HTMLSelectElement) return;
  const isText = el instanceof HTMLInputElement && (el.type === 'text' || el.type === '');
  const input = el as HTMLInputElement;
  if (e.key === 'ArrowUp') dr = -1;
  else if (e.key === 'ArrowDown') dr = 1;
  else if (e.key === 'ArrowLeft' && (!isText || (input.selectionStart === 0 && input.selectionEnd === 0))) dc = -1;
  else if (e.key === 'ArrowRight' && (!isText || input.selectionStart === input.value.length)) dc = 1;
  else return;
  const at = `[data-cell][data-row="${row + dr}"][data-col="${col + dc}"]`;
  const target = e.currentTarget.querySelector<HTMLElement>(`${at} input, ${at} select, ${at} button`);
  if (target) {
    e.preventDefault();
    target.focus();
  }
}
