import { useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { fmt, useMessages } from '../i18n/index.tsx';
import { coreMessages } from '../i18n/messages/core.ts';

export interface ComboOption {
  value: string;
  label: string;
  /** Secondary text, e.g. the SCB code or the county. */
  detail?: string;
}

interface Props {
  name: string;
  label: string;
  hint?: string;
  error?: string | undefined;
  options: ComboOption[];
  value: string | null;
  onChange: (value: string | null) => void;
}

const fold = (s: string) => s.toLocaleLowerCase('sv').normalize('NFD').replace(/[\u0300-\u036f]/g, '');

/**
 * Accessible autocomplete (WAI-ARIA 1.2 combobox with a listbox popup, list autocomplete).
 * Type to filter; arrow keys move through the options; Enter chooses; Escape closes.
 */
export function Combobox({ name, label, hint, error, options, value, onChange }: Props) {
  const t = useMessages(coreMessages);
  const uid = useId().replace(/:/g, '');
  const id = `cb-${name}-${uid}`;
  const listId = `${id}-list`;
  const selected = options.find((o) => o.value === value) ?? null;
  const [query, setQuery] = useState(selected?.label ?? '');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const inputRef = useRef<HTMLInputElement>(null);

  const filtered = useMemo(() => {
    const q = fold(query.trim());
    if (!q || (selected && query === selected.label)) return options;
    const starts = options.filter((o) => fold(o.label).startsWith(q) || o.value.startsWith(q));
    const contains = options.filter((o) => !starts.includes(o) && fold(o.label).includes(q));
    return [...starts, ...contains];
  }, [query, options, selected]);

  const choose = (o: ComboOption) => {
    onChange(o.value);
    setQuery(o.label);
    setOpen(false);
    setActive(-1);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setOpen(true);
      setActive((a) => Math.min(filtered.length - 1, a + 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((a) => Math.max(0, a - 1));
    } else if (e.key === 'Enter') {
      if (open && active >= 0 && filtered[active]) {
        e.preventDefault();
        choose(filtered[active]);
      }
    } else if (e.key === 'Escape') {
      if (open) {
        e.preventDefault();
        setOpen(false);
        setActive(-1);
      }
    }
  };

  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const activeOption = open && active >= 0 ? filtered[active] : undefined;

  return (
    <div className={`field combobox${error ? ' field--error' : ''}`}>
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
      <div className="combobox__wrap">
        <input
          ref={inputRef}
          id={id}
          name={name}
          className="input"
          type="text"
          role="combobox"
          autoComplete="off"
          aria-autocomplete="list"
          aria-expanded={open}
          aria-controls={listId}
          aria-activedescendant={activeOption ? `${id}-opt-${activeOption.value}` : undefined}
          aria-invalid={error ? true : undefined}
          aria-describedby={[hintId, errorId].filter(Boolean).join(' ') || undefined}
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setOpen(true);
            setActive(-1);
            if (selected && e.target.value !== selected.label) onChange(null);
          }}
          onFocus={() => setOpen(true)}
          onClick={() => setOpen(true)}
          onBlur={() => {
            // Let a click on an option land first.
            window.setTimeout(() => setOpen(false), 150);
          }}
          onKeyDown={onKeyDown}
        />
        <ul id={listId} role="listbox" aria-label={label} className="combobox__list" hidden={!open}>
          {filtered.slice(0, 400).map((o, i) => (
            <li
              key={o.value}
              id={`${id}-opt-${o.value}`}
              role="option"
              aria-selected={i === active}
              className={`combobox__option${i === active ? ' is-active' : ''}${o.value === value ? ' is-selected' : ''}`}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => choose(o)}
            >
              <span>{o.label}</span>
              {o.detail && <span className="combobox__detail">{o.detail}</span>}
            </li>
          ))}
          {filtered.length === 0 && <li className="combobox__empty" role="option" aria-selected={false} aria-disabled="true">{t.comboNoResults}</li>}
        </ul>
      </div>
      <div className="visually-hidden" role="status" aria-live="polite">
        {open && query && !selected ? (filtered.length ? fmt(t.comboResults, { count: filtered.length }) : t.comboNoResults) : ''}
      </div>
    </div>
  );
}
