import { fmt, useMessages } from '../i18n/index.tsx';
import { agreementMessages } from '../i18n/messages/agreement.ts';
import { useAgreement, useAwarenessUsers } from '../shell/agreement-context.tsx';
import type { ConnectionState } from '../sync/connection.ts';

function initials(name: string): string {
  const parts = name.trim().split(/\s+/);
  return ((parts[0]?.[0] ?? '') + (parts.length > 1 ? (parts[parts.length - 1]?.[0] ?? '') : '')).toUpperCase();
}

/** Who is here now, grouped by party. */
export function Presence() {
  const t = useMessages(agreementMessages);
  const { awareness, agreement, partyName } = useAgreement();
  const users = useAwarenessUsers(awareness);
  // One entry per user (a user may have several tabs open).
  const seen = new Set<string>();
  const unique = users.filter((u) => {
    const key = u.userId ?? `c${u.clientId}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const byParty = agreement.parties
    .map((p) => ({ party: p, users: unique.filter((u) => u.partyId === p.id) }))
    .filter((g) => g.users.length > 0);
  const others = unique.filter((u) => !agreement.parties.some((p) => p.id === u.partyId));
  return (
    <section className="presence" aria-label={t.presenceLabel}>
      <h2 className="visually-hidden">{t.presenceLabel}</h2>
      <ul className="presence__list">
        {byParty.map(({ party, users: us }) => (
          <li key={party.id} className="presence__party">
            <span className="visually-hidden">{party.name}: </span>
            <ul className="presence__users">
              {us.map((u) => (
                <li key={u.clientId} className="presence__user" title={`${u.name} – ${partyName(u.partyId)}`} style={{ backgroundColor: u.color }} data-user={u.name}>
                  <span aria-hidden="true">{initials(u.name)}</span>
                  <span className="visually-hidden">{u.self ? fmt(t.presenceYou, { name: u.name }) : u.name}</span>
                </li>
              ))}
            </ul>
          </li>
        ))}
        {others.map((u) => (
          <li key={u.clientId} className="presence__user" title={u.name} style={{ backgroundColor: u.color }} data-user={u.name}>
            <span aria-hidden="true">{initials(u.name)}</span>
            <span className="visually-hidden">{u.name}</span>
          </li>
        ))}
      </ul>
      <span className="presence__count muted small">{fmt(t.presenceCount, { count: unique.length })}</span>
    </section>
  );
}

/** Connection status: connected / saving / saved / offline / read-only — announced politely. */
/** `suggestOnly`: the person may not edit directly but may suggest (a commenter): not "read only". */
export function ConnectionStatusView({ state, readOnly, suggestOnly = false }: { state: ConnectionState; readOnly: boolean; suggestOnly?: boolean }) {
  const t = useMessages(agreementMessages);
  const label =
    state.closed
      ? t.statusClosed
      : state.status === 'offline'
        ? state.unsaved
          ? t.statusOfflineUnsaved
          : t.statusOffline
        : state.status === 'read-only'
          ? suggestOnly
            ? t.statusSuggestOnly
            : t.statusReadOnly
          : state.status === 'saving' && state.server?.save === 'unsaved'
            ? t.statusServerUnsaved
            : state.status === 'saving'
            ? t.statusSaving
            : state.status === 'saved'
              ? t.statusSaved
              : state.status === 'connecting'
                ? t.statusConnecting
                : readOnly
                  ? suggestOnly
                    ? t.statusSuggestOnly
                    : t.statusReadOnly
                  : t.statusConnected;
  // Screen readers hear changes of connectivity (offline, back, read-only), not every save while typing.
  const announce =
    state.closed || state.status === 'offline' || state.status === 'read-only' || state.status === 'connecting' ? label : t.statusOnline;
  return (
    <>
      <div className={`conn conn--${state.closed ? 'offline' : state.status}`} data-status={state.status}>
        <span className="conn__dot" aria-hidden="true" />
        <span className="visually-hidden">{t.connectionLabel}: </span>
        {label}
      </div>
      <div className="visually-hidden" role="status" aria-live="polite">
        {announce}
      </div>
    </>
  );
}
