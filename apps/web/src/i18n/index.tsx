/**
 * Message catalogues and locale formatting.
 *
 * Convention: every feature keeps its strings in `i18n/messages/<feature>.ts`, exporting a catalogue
 * made with `defineMessages({ sv: {...}, en: {...} })` (English must have exactly the Swedish keys,
 * the compiler checks). Components read it with `const t = useMessages(catalogue)` and use `t.key`
 * or `fmt(t.key, { name })` for `{name}` placeholders. No user-facing string is written in a component.
 */
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

/** Replace `{name}` placeholders. Unknown placeholders are left as they are. */
export function fmt(template: string, vars: Record<string, string | number>): string {
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
  dateTime: (iso: string | null | undefined) => string;
  number: (n: number | null | undefined) => string;
  sek: (n: number | null | undefined) => string;
  list: (items: string[]) => string;
}

export function useFormat(): Formatters {
  const { locale } = useContext(LocaleContext);
  return useMemo(() => {
    const tag = intlTag[locale];
    const d = new Intl.DateTimeFormat(tag, { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' });
    const dt = new Intl.DateTimeFormat(tag, { dateStyle: 'medium', timeStyle: 'short' });
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
      number: (v) => (v === null || v === undefined ? '' : n.format(v)),
      sek: (v) => (v === null || v === undefined ? '' : money.format(v)),
      list: (items) => list.format(items),
    };
  }, [locale]);
}
