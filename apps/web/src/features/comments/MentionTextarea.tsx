/**
 * A textarea with @mention autocomplete among the agreement's members (a combobox: ↑/↓ to move,
 * Enter or Tab to pick, Escape to close). A picked member is written as `@[Name](user:<id>)`, the form
 * the server parses and validates.
 */
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import type { UserRef } from './store.ts';

interface Props {
  id: string;
  label: string;
  hint?: string;
  value: string;
  onChange: (value: string) => void;
  loadMembers: () => Promise<UserRef[]>;
  listLabel: string;
  autoFocus?: boolean;
  onSubmit?: () => void;
}

export function MentionTextarea({ id, label, hint, value, onChange, loadMembers, listLabel, autoFocus, onSubmit }: Props) {
  const ref = useRef<HTMLTextAreaElement>(null);
  const listId = useId();
  const hintId = useId();
  const [members, setMembers] = useState<UserRef[] | null>(null);
  const [query, setQuery] = useState<{ start: number; text: string } | null>(null);
  const [active, setActive] = useState(0);

  useEffect(() => {
    if (autoFocus) ref.current?.focus();
  }, [autoFocus]);

  const matches = query && members ? members.filter((m) => m.name.toLowerCase().includes(query.text.toLowerCase())).slice(0, 8) : [];
  const open = query !== null && matches.length > 0;

  const detect = (text: string, caret: number) => {
    const before = text.slice(0, caret);
    const m = /(^|\s)@([\p{L}\p{N} .'-]{0,40})$/u.exec(before);
    if (!m || m[2]!.includes('  ')) {
      setQuery(null);
      return;
    }
    setQuery({ start: caret - m[2]!.length - 1, text: m[2]! });
    setActive(0);
    if (members === null) void loadMembers().then(setMembers, () => setMembers([]));
  };

  const pick = (member: UserRef) => {
    if (!query) return;
    const caret = ref.current?.selectionStart ?? value.length;
    const token = `@[${member.name.replace(/[\]\n]/g, '')}](user:${member.id}) `;
    const next = value.slice(0, query.start) + token + value.slice(caret);
    onChange(next);
    setQuery(null);
    const pos = query.start + token.length;
    requestAnimationFrame(() => {
      ref.current?.focus();
      ref.current?.setSelectionRange(pos, pos);
    });
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (open) {
      if (e.key === 'ArrowDown') {
        e.preventDefault();
        setActive((a) => (a + 1) % matches.length);
        return;
      }
      if (e.key === 'ArrowUp') {
        e.preventDefault();
        setActive((a) => (a - 1 + matches.length) % matches.length);
        return;
      }
      if (e.key === 'Enter' || e.key === 'Tab') {
        e.preventDefault();
        pick(matches[active]!);
        return;
      }
      if (e.key === 'Escape') {
        e.preventDefault();
        e.stopPropagation();
        setQuery(null);
        return;
      }
    }
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && onSubmit) {
      e.preventDefault();
      onSubmit();
    }
  };

  return (
    <div className="field mention-field">
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      {hint && (
        <div className="field__hint small" id={hintId}>
          {hint}
        </div>
      )}
      <textarea
        ref={ref}
        id={id}
        className="textarea"
        rows={3}
        value={value}
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={open}
        aria-controls={listId}
        aria-activedescendant={open ? `${listId}-${active}` : undefined}
        aria-describedby={hint ? hintId : undefined}
        onChange={(e) => {
          onChange(e.target.value);
          detect(e.target.value, e.target.selectionStart);
        }}
        onKeyDown={onKeyDown}
        onBlur={() => setTimeout(() => setQuery(null), 150)}
      />
      <ul id={listId} role="listbox" aria-label={listLabel} className="mention-list" hidden={!open}>
        {matches.map((m, i) => (
          <li
            key={m.id}
            id={`${listId}-${i}`}
            role="option"
            aria-selected={i === active}
            className={`mention-list__item${i === active ? ' is-active' : ''}`}
            onMouseDown={(e) => {
              e.preventDefault();
              pick(m);
            }}
          >
            {m.name}
          </li>
        ))}
      </ul>
    </div>
  );
}
