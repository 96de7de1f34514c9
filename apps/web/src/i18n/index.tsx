/**
 * Message catalogues and locale formatting.
 *
 * Convention: every feature keeps its strings in `i18n/messages/<feature>.ts`, exporting a catalogue
 * made with `defineMessages({ sv: {...}, en: {...} })` (English must have exactly the Swedish keys,
 * the compiler checks). Components read it with `const t = useMessages(catalogue)` and use `t.key`
 * or `fmt(t.key, { name })` for `{name}` placeholders. No user-facing string is written in a component.
 */
import { IntlMessageFormat, type Formatters as MessageFormatters } from 'intl-messageformat';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';

export type Locale = 'sv' | 'en';
export const LOCALES: readonly Locale[] = ['sv', 'en'];

export interface Catalogue<T extends Record<string, string>> {
  sv: T;
  en: { [K in keyof T]: string };
}

export function defineMessages<T extends Record<string, string>>(catalogue: Catalogue<T>): Catalogue<T> {
  return catalogue;
}

/** The locale `fmt` formats numbers and plurals for (kept in step by I18nProvider). */
let activeLocale: Locale = 'sv';
const compiled = new Map<string, IntlMessageFormat | null>();

/**
 * Intl objects shared by every compiled message (FormatJS makes a set per message otherwise), and the
 * locale resolved once per tag (`supportedLocalesOf` on every compile cost ~0.1 ms each on page open).
 */
const intlCache = new Map<string, unknown>();
const cachedIntl =
  <A extends unknown[], T>(kind: string, make: (...args: A) => T) =>
  (...args: A): T => {
    const key = `${kind}\u0000${JSON.stringify(args)}`;
    let v = intlCache.get(key) as T | undefined;
    if (v === undefined) {
      v = make(...args);
      intlCache.set(key, v);
    }
    return v;
  };
const messageFormatters: MessageFormatters = {
  getNumberFormat: cachedIntl('number', (locales?: string | string[], opts?: Intl.NumberFormatOptions) => new Intl.NumberFormat(locales, opts)),
  getDateTimeFormat: cachedIntl('dateTime', (...args: ConstructorParameters<typeof Intl.DateTimeFormat>) => new Intl.DateTimeFormat(...args)),
  getPluralRules: cachedIntl('plural', (...args: ConstructorParameters<typeof Intl.PluralRules>) => new Intl.PluralRules(...args)),
};
const resolveLocale = IntlMessageFormat.resolveLocale;
IntlMessageFormat.resolveLocale = cachedIntl('locale', (locales: string | string[]) => resolveLocale(locales));

/**
 * Format an ICU message (FormatJS): `{name}`, `{count, plural, one {# fel} other {# fel}}`,
 * `{n, number}`; numbers in the active locale (decimal comma and spacing in Swedish). A template ICU
 * cannot parse, or one missing a value, falls back to plain `{name}` replacement.
 */
export function fmt(template: string, vars: Record<string, string | number>): string {
  const key = `${activeLocale}\u0000${template}`;
  let mf = compiled.get(key);
  if (mf === undefined) {
    try {
      mf = new IntlMessageFormat(template, intlTag[activeLocale], undefined, { ignoreTag: true, formatters: messageFormatters });
    } catch {
      mf = null;
    }
    compiled.set(key, mf);
  }
  if (mf) {
    try {
      return String(mf.format(vars));
    } catch {
      /* a missing value: plain replacement below */
    }
  }
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
}

const STORAGE_KEY = 'overens.locale';

function initialLocale(): Locale {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === 'sv' || saved === 'en') return saved;
  } catch {
    /* storage unavailable: default */
  }
  return 'sv';
}

interface LocaleState {
  locale: Locale;
  setLocale: (l: Locale) => void;
}

const LocaleContext = createContext<LocaleState>({ locale: 'sv', setLocale: () => {} });

export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(initialLocale);
  const setLocale = useCallback((l: Locale) => {
    setLocaleState(l);
    try {
      localStorage.setItem(STORAGE_KEY, l);
    } catch {
      /* ignore */
    }
  }, []);
  activeLocale = locale;
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  const value = useMemo(() => ({ locale, setLocale }), [locale, setLocale]);
  return <LocaleContext.Provider value={value}>{children}</LocaleContext.Provider>;
}

export function useLocale(): LocaleState {
  return useContext(LocaleContext);
}

export function useMessages<T extends Record<string, string>>(catalogue: Catalogue<T>): T {
  const { locale } = useContext(LocaleContext);
  return catalogue[locale] as T;
}

const intlTag: Record<Locale, string> = { sv: 'sv-SE', en: 'en-GB' };

export interface Formatters {
  /** `2026-03-01` → `1 mars 2026` */
  date: (iso: string | null | undefined) => string;
  /** Date and time in Europe/Stockholm, wherever the browser is. */
  dateTime: (iso: string | null | undefined) => string;
  /** "för 5 minuter sedan" / "5 minutes ago". */
  relative: (iso: string | null | undefined, now?: number) => string;
  number: (n: number | null | undefined) => string;
  sek: (n: number | null | undefined) => string;
  list: (items: string[]) => string;
}

/** One set per locale for the whole app: each Intl constructor resolves the locale (costly on page open). */
const formatters = new Map<Locale, Formatters>();

export function useFormat(): Formatters {
  const { locale } = useContext(LocaleContext);
  let f = formatters.get(locale);
  if (!f) {
    f = makeFormatters(locale);
    formatters.set(locale, f);
  }
  return f;
}

function makeFormatters(locale: Locale): Formatters {
  const tag = intlTag[locale];
  const d = new Intl.DateTimeFormat(tag, { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' });
  // Agreements are Swedish: times are shown as in Sweden, the same in every browser and on the server.
  const dt = new Intl.DateTimeFormat(tag, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Stockholm' });
  const rel = new Intl.RelativeTimeFormat(tag, { numeric: 'auto' });
  const n = new Intl.NumberFormat(tag);
  const money = new Intl.NumberFormat(tag, { style: 'currency', currency: 'SEK', maximumFractionDigits: 0 });
  const list = new Intl.ListFormat(tag, { style: 'long', type: 'conjunction' });
  return {
    date: (iso) => {
      if (!iso) return '';
      const t = Date.parse(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
      return Number.isNaN(t) ? iso : d.format(t);
    },
    dateTime: (iso) => {
      if (!iso) return '';
      const t = Date.parse(iso);
      return Number.isNaN(t) ? iso : dt.format(t);
    },
    relative: (iso, now = Date.now()) => {
      if (!iso) return '';
      const t = Date.parse(iso);
      if (Number.isNaN(t)) return iso;
      const s = Math.round((t - now) / 1000);
      const abs = Math.abs(s);
      if (abs < 60) return rel.format(s, 'second');
      if (abs < 3600) return rel.format(Math.round(s / 60), 'minute');
      if (abs < 86400) return rel.format(Math.round(s / 3600), 'hour');
      if (abs < 30 * 86400) return rel.format(Math.round(s / 86400), 'day');
      return dt.format(t);
    },
    number: (v) => (v === null || v === undefined ? '' : n.format(v)),
    sek: (v) => (v === null || v === undefined ? '' : money.format(v)),
    list: (items) => list.format(items),
  };
}
