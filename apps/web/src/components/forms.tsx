import { useEffect, useId, useRef, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes } from 'react';
import { useMessages } from '../i18n/index.tsx';
import { coreMessages } from '../i18n/messages/core.ts';

interface FieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'id'> {
  name: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
  /** Live, non-error feedback (e.g. "valid organisation number"), announced politely. */
  status?: ReactNode;
}

/** Label + hint + error + input, all linked for assistive technology (GOV.UK pattern). */
export function TextField({ name, label, hint, error, status, className, ...input }: FieldProps) {
  const id = `f-${name}-${useId().replace(/:/g, '')}`;
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const statusId = status !== undefined ? `${id}-status` : undefined;
  return (
    <div className={`field${error ? ' field--error' : ''}`}>
      <label htmlFor={id} className="field__label">
        {label}
      </label>
      {hint && (
        <div id={hintId} className="field__hint">
          {hint}
        </div>
      )}
      {error && (
        <p id={errorId} className="field__error">
          {error}
        </p>
      )}
      <input
        id={id}
        name={name}
        className={`input ${className ?? ''}`}
        aria-invalid={error ? true : undefined}
        aria-describedby={[hintId, errorId, statusId].filter(Boolean).join(' ') || undefined}
        {...input}
      />
      {status !== undefined && (
        <div id={statusId} className="field__status" role="status">
          {status}
        </div>
      )}
    </div>
  );
}

interface SelectProps extends Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id'> {
  name: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
  children: ReactNode;
}

export function SelectField({ name, label, hint, error, children, ...select }: SelectProps) {
  const id = `f-${name}-${useId().replace(/:/g, '')}`;
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  return (
    <div className={`field${error ? ' field--error' : ''}`}>
      <label htmlFor={id} className="field__label">
        {label}
      </label>
      {hint && (
        <div id={hintId} className="field__hint">
          {hint}
        </div>
      )}
      {error && (
        <p id={errorId} className="field__error">
          {error}
        </p>
      )}
      <select
        id={id}
        name={name}
        className="select"
        aria-invalid={error ? true : undefined}
        aria-describedby={[hintId, errorId].filter(Boolean).join(' ') || undefined}
        {...select}
      >
        {children}
      </select>
    </div>
  );
}

/** Form-level error list shown at the top of a form; receives focus when it appears. */
export function ErrorSummary({ errors, message }: { errors: Record<string, string>; message?: string | null }) {
  const t = useMessages(coreMessages);
  const ref = useRef<HTMLDivElement>(null);
  const entries = Object.entries(errors);
  const visible = entries.length > 0 || Boolean(message);
  useEffect(() => {
    if (visible) ref.current?.focus();
  }, [visible, message, entries.length]);
  if (!visible) return null;
  return (
    <div className="error-summary" role="alert" tabIndex={-1} ref={ref} aria-labelledby="error-summary-title">
      <h2 id="error-summary-title" className="error-summary__title">
        {t.errorSummaryTitle}
      </h2>
      {message && <p>{message}</p>}
      {entries.length > 0 && (
        <ul>
          {entries.map(([field, msg]) => (
            <li key={field}>
              <a
                href={`#`}
                onClick={(e) => {
                  e.preventDefault();
                  const el = document.querySelector<HTMLElement>(`[name="${field}"]`);
                  el?.focus();
                }}
              >
                {msg}
              </a>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Visually hidden text for screen readers. */
export function VisuallyHidden({ children }: { children: ReactNode }) {
  return <span className="visually-hidden">{children}</span>;
}
