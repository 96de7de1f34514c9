import { AgreementDoc } from '@overens/model';
import { useMemo, type InputHTMLAttributes } from 'react';
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
