/**
 * Forms: the one way to build one (issue 15 item 8).
 *
 *   const f = useZodForm({ schema: loginRequestSchema, defaultValues: { email: '', password: '' },
 *                          onSubmit: (values) => api.login(values) });
 *   <Form form={f}>
 *     <TextField label={t.email} {...f.field('email')} />
 *     <SubmitButton form={f}>{t.signIn}</SubmitButton>
 *   </Form>
 *
 * react-hook-form holds the values, the busy state and the errors; the zod schema is the server's own
 * (`@overens/model/requests`), checked in the browser before sending. Pages that must stay small (sign
 * in) pass a loader instead, `schema: () => import('@overens/model/requests').then((m) => m.loginRequestSchema)`:
 * zod then arrives right after the page shows (it is requested on mount), not with it. Every error, the browser's or
 * the server's (problem+json `errors[]` with a stable `code` and params), is shown next to its field in
 * the UI language (`issueMessage` in i18n/problems.ts) and listed in an ErrorSummary that takes focus;
 * problems that are not one field's (network, forbidden, …) are the summary's message.
 *
 * Below that: the field components (label + hint + error, linked for assistive technology).
 */
import { toNestErrors } from '@hookform/resolvers';
import { describeIssue } from '@overens/model/requests/issues';
import { useEffect, useId, useRef, useState, type BaseSyntheticEvent, type InputHTMLAttributes, type ReactNode, type Ref, type SelectHTMLAttributes, type TextareaHTMLAttributes } from 'react';
import { get, useForm, type DefaultValues, type FieldError, type FieldValues, type Path, type Resolver, type UseFormRegisterReturn, type UseFormReturn } from 'react-hook-form';
import type { z } from 'zod';
import { ApiError } from '../api/client.ts';
import { useLocale, useMessages, type Locale } from '../i18n/index.tsx';
import { coreMessages } from '../i18n/messages/core.ts';
import { issueMessage, localizeProblem } from '../i18n/problems.ts';

/* ----- the form foundation ----- */

/** A form's own wording for some of its fields' codes: `{ url: { link_scheme: t.linkErrorScheme } }`. */
export type FieldWording = Partial<Record<string, Partial<Record<string, string>>>>;

/**
 * react-hook-form resolver over a shared zod schema: the issues become `describeIssue` codes (the same
 * the server sends) and are translated like the server's.
 */
export function sharedSchemaResolver<In extends FieldValues, Out>(
  schema: SchemaSource<In, Out>,
  locale: Locale,
  wording?: FieldWording,
): Resolver<In, unknown, Out> {
  return async (values, _context, options) => {
    const result = await (await resolveSchema(schema)).safeParseAsync(values);
    if (result.success) return { values: result.data, errors: {} };
    const errors: Record<string, FieldError> = {};
    for (const issue of result.error.issues) {
      const d = describeIssue(issue);
      if (errors[d.field]) continue;
      const key = d.field.split('.').pop() ?? d.field;
      errors[d.field] = { type: d.code, message: issueMessage(locale, d, wording?.[key]) };
    }
    return { values: {}, errors: toNestErrors(errors, options) };
  };
}

/** A zod schema, or a loader of one (a dynamic import keeps zod out of a page's first JavaScript). */
export type SchemaSource<In extends FieldValues, Out> = z.ZodType<Out, In> | (() => Promise<z.ZodType<Out, In>>);

const loaded = new WeakMap<() => Promise<unknown>, Promise<unknown>>();
function resolveSchema<In extends FieldValues, Out>(source: SchemaSource<In, Out>): Promise<z.ZodType<Out, In>> {
  if (typeof source !== 'function') return Promise.resolve(source);
  let p = loaded.get(source);
  if (!p) loaded.set(source, (p = source()));
  return p as Promise<z.ZodType<Out, In>>;
}

export interface ZodFormOptions<In extends FieldValues, Out> {
  /** The shared schema, or a loader (define it at module level: it is loaded once, on mount). */
  schema: SchemaSource<In, Out>;
  defaultValues: DefaultValues<In>;
  /** Send the checked values. A thrown ApiError is shown by field (or as the form's message). */
  onSubmit: (values: Out) => Promise<unknown> | unknown;
  wording?: FieldWording;
  /**
   * Forms without an ErrorSummary (one-field dialogs): focus the first invalid field instead, whose
   * error announces itself.
   */
  focusField?: boolean;
}

/** The props `field(name)` gives a TextField/TextAreaField/SelectField (or a plain input). */
export type BoundField = UseFormRegisterReturn & { error: string | undefined };

export interface ZodForm<In extends FieldValues, Out> {
  form: UseFormReturn<In, unknown, Out>;
  /** Submitting (the button is disabled meanwhile). */
  busy: boolean;
  /** A problem that is not one field's, in the UI language. */
  message: string | null;
  /** Field → message, for the ErrorSummary. */
  errors: Record<string, string>;
  /** For `<form onSubmit>` (Form does this). */
  onSubmit: (e?: BaseSyntheticEvent) => Promise<void>;
  field: (name: Path<In>) => BoundField;
  /** Show an error thrown outside onSubmit (by field when it names a field of this form). */
  fail: (e: unknown) => void;
  focusField: boolean;
}

export function useZodForm<In extends FieldValues, Out>(options: ZodFormOptions<In, Out>): ZodForm<In, Out> {
  const t = useMessages(coreMessages);
  const { locale } = useLocale();
  const focusField = options.focusField ?? false;
  const form = useForm<In, unknown, Out>({
    defaultValues: options.defaultValues,
    resolver: sharedSchemaResolver(options.schema, locale, options.wording),
    shouldFocusError: focusField,
  });
  const [message, setMessage] = useState<string | null>(null);
  // A lazily loaded schema is requested as the form appears, so submitting does not wait for it.
  const { schema } = options;
  useEffect(() => {
    if (typeof schema === 'function') void resolveSchema(schema).catch(() => {});
  }, [schema]);
  const onSubmitRef = useRef(options.onSubmit);
  onSubmitRef.current = options.onSubmit;

  const fail = (e: unknown) => {
    if (!(e instanceof ApiError)) {
      setMessage(t.networkError);
      return;
    }
    const p = localizeProblem(e, locale);
    const own = form.getValues() as Record<string, unknown>;
    const others: string[] = [];
    let first: string | null = null;
    for (const [field, text] of Object.entries(p.fieldErrors)) {
      if (field in own) {
        form.setError(field as Path<In>, { type: 'server', message: text });
        first ??= field;
      } else others.push(text);
    }
    setMessage(others.length ? others.join(' ') : first ? null : p.message);
    if (first && focusField) form.setFocus(first as Path<In>);
  };

  const onSubmit = form.handleSubmit(
    async (values) => {
      setMessage(null);
      try {
        await onSubmitRef.current(values);
      } catch (e) {
        fail(e);
      }
    },
    () => setMessage(null),
  );

  const { errors: fieldErrors, isSubmitting } = form.formState;
  const errors: Record<string, string> = {};
  for (const [name, err] of Object.entries(fieldErrors)) {
    const text = (err as FieldError | undefined)?.message;
    if (typeof text === 'string' && text) errors[name] = text;
  }

  return {
    form,
    busy: isSubmitting,
    message,
    errors,
    onSubmit,
    fail,
    focusField,
    field: (name) => ({ ...form.register(name), error: (get(fieldErrors, name) as FieldError | undefined)?.message }),
  };
}

/**
 * A form built with useZodForm: the ErrorSummary (unless `summary={false}`, for one-field dialogs
 * whose field announces its error; the form's own message is then announced above the fields) and
 * `<form noValidate>`.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function Form({ form, children, summary = true, className }: { form: ZodForm<any, any>; children: ReactNode; summary?: boolean; className?: string }) {
  return (
    <>
      {summary ? (
        <ErrorSummary errors={form.errors} message={form.message} />
      ) : (
        form.message && (
          <p className="field__error" role="alert">
            {form.message}
          </p>
        )
      )}
      <form onSubmit={form.onSubmit} noValidate className={className}>
        {children}
      </form>
    </>
  );
}

/** The form's submit button, disabled while it is sending; `busyLabel` replaces the text meanwhile. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function SubmitButton({ form, children, busyLabel, className = 'button' }: { form: ZodForm<any, any>; children: ReactNode; busyLabel?: ReactNode; className?: string }) {
  return (
    <button type="submit" className={className} disabled={form.busy}>
      {form.busy && busyLabel ? busyLabel : children}
    </button>
  );
}

/**
 * Error state for forms not yet on useZodForm (state kept by hand): a thrown error → field messages
 * and a form message in the UI language.
 */
export function useErrorState() {
  const t = useMessages(coreMessages);
  const { locale } = useLocale();
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const fail = (e: unknown) => {
    if (e instanceof ApiError) {
      const p = localizeProblem(e, locale);
      setFieldErrors(p.fieldErrors);
      setMessage(Object.keys(p.fieldErrors).length ? null : p.message);
    } else {
      setFieldErrors({});
      setMessage(t.networkError);
    }
  };
  const clear = () => {
    setFieldErrors({});
    setMessage(null);
  };
  return { fieldErrors, setFieldErrors, message, setMessage, fail, clear };
}

/* ----- fields ----- */

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
  ref?: Ref<HTMLSelectElement>;
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
