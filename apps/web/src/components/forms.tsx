import { useEffect, useId, useRef, type InputHTMLAttributes, type ReactNode, type Ref, type SelectHTMLAttributes, type TextareaHTMLAttributes } from 'react';
import { useMessages } from '../i18n/index.tsx';
import { coreMessages } from '../i18n/messages/core.ts';

interface FieldChrome {
  name: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
  /**
   * Announce the error as it appears (role="alert"). For forms without an ErrorSummary, e.g. a
   * one-field dialog, where nothing else would tell a screen-reader user what went wrong.
   */
  announceError?: boolean;
}

interface FieldProps extends FieldChrome, Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'name'> {
  ref?: Ref<HTMLInputElement>;
  /** Live, non-error feedback (e.g. "valid organisation number"), announced politely. */
  status?: ReactNode;
}

interface TextAreaProps extends FieldChrome, Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id' | 'name'> {
  ref?: Ref<HTMLTextAreaElement>;
}

interface SelectProps extends FieldChrome, Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id' | 'name'> {
  children: ReactNode;
}

interface ControlIds {
  id: string;
  'aria-invalid': true | undefined;
  'aria-describedby': string | undefined;
}

/**
 * Label + hint + error around one control, all linked for assistive technology (GOV.UK pattern);
 * `control` receives the id and aria attributes to put on the control.
 */
function Field({ name, label, hint, error, announceError, extraDescribedBy, control }: FieldChrome & { extraDescribedBy?: string; control: (ids: ControlIds) => ReactNode }) {
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
        <p id={errorId} className="field__error" role={announceError ? 'alert' : undefined}>
          {error}
        </p>
      )}
      {control({
        id,
        'aria-invalid': error ? true : undefined,
        'aria-describedby': [hintId, errorId, extraDescribedBy && `${id}-${extraDescribedBy}`].filter(Boolean).join(' ') || undefined,
      })}
    </div>
  );
}

/** A labelled text input (see Field). */
export function TextField({ name, label, hint, error, announceError, status, className, ref, ...input }: FieldProps) {
  const hasStatus = status !== undefined;
  return (
    <Field
      {...{ name, label, hint, error, announceError }}
      extraDescribedBy={hasStatus ? 'status' : undefined}
      control={(ids) => (
        <>
          <input ref={ref} name={name} className={`input ${className ?? ''}`} {...ids} {...input} />
          {hasStatus && (
            <div id={`${ids.id}-status`} className="field__status" role="status">
              {status}
            </div>
          )}
        </>
      )}
    />
  );
}

/** A labelled multi-line text input (see Field). */
export function TextAreaField({ name, label, hint, error, announceError, className, ref, ...textarea }: TextAreaProps) {
  return (
    <Field
      {...{ name, label, hint, error, announceError }}
      control={(ids) => <textarea ref={ref} name={name} className={`textarea ${className ?? ''}`} {...ids} {...textarea} />}
    />
  );
}

export function SelectField({ name, label, hint, error, announceError, children, ...select }: SelectProps) {
  return (
    <Field
      {...{ name, label, hint, error, announceError }}
      control={(ids) => (
        <select name={name} className="select" {...ids} {...select}>
          {children}
        </select>
      )}
    />
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
