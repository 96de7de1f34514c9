/**
 * "Kalenderprenumeration": create a private iCal link (for one agreement, or for all of the user's signed
 * agreements when `agreementId` is null), copy it (shown once), and revoke links made before.
 */
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { useErrorState } from '../../components/forms.tsx';
import { fmt, useFormat, useMessages } from '../../i18n/index.tsx';
import { calendarMessages } from '../../i18n/messages/follow-up.ts';
import { calendarApi, type CalendarFeed, type CreatedCalendarFeed } from './api.ts';
import './calendar.css';

export function CalendarSubscriptions({ agreementId, headingLevel = 2 }: { agreementId: string | null; headingLevel?: 2 | 3 }) {
  const t = useMessages(calendarMessages);
  const f = useFormat();
  const id = useId().replace(/:/g, '');
  const [feeds, setFeeds] = useState<CalendarFeed[] | null>(null);
  const [loadFailed, setLoadFailed] = useState(false);
  const [created, setCreated] = useState<CreatedCalendarFeed | null>(null);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<string | null>(null);
  const errors = useErrorState();
  const urlRef = useRef<HTMLInputElement>(null);
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  const SubHeading = headingLevel === 2 ? 'h3' : 'h4';

  const load = useCallback(async () => {
    try {
      const all = await calendarApi.list();
      setFeeds(all.filter((x) => x.agreementId === agreementId));
      setLoadFailed(false);
    } catch {
      setLoadFailed(true);
    }
  }, [agreementId]);
  useEffect(() => {
    void load();
  }, [load]);

  useEffect(() => {
    if (created) urlRef.current?.focus();
  }, [created]);

  const create = async () => {
    errors.clear();
    setStatus(null);
    setBusy(true);
    try {
      setCreated(await calendarApi.create(agreementId));
      await load();
    } catch (e) {
      errors.fail(e);
    } finally {
      setBusy(false);
    }
  };

  const copy = async () => {
    if (!created) return;
    try {
      await navigator.clipboard.writeText(created.url);
      setStatus(t.copied);
    } catch {
      urlRef.current?.select();
      setStatus(t.copyFailed);
    }
  };

  const revoke = async (feed: CalendarFeed) => {
    errors.clear();
    setStatus(null);
    setBusy(true);
    try {
      await calendarApi.revoke(feed.id);
      if (created?.id === feed.id) setCreated(null);
      setFeeds((list) => list?.filter((x) => x.id !== feed.id) ?? null);
      setStatus(t.revoked);
    } catch (e) {
      errors.fail(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="calendar-subscriptions" aria-labelledby={`${id}-h`} data-testid="calendar-subscriptions">
      <Heading id={`${id}-h`}>{t.heading}</Heading>
      <p className="small">{agreementId ? t.introAgreement : t.introAll}</p>
      {created && (
        <div className="notice notice--compact calendar-subscriptions__created">
          <p className="small">{t.createdOnce}</p>
          <label className="field__label" htmlFor={`${id}-url`}>
            {t.urlLabel}
          </label>
          <div className="calendar-subscriptions__url">
            <input id={`${id}-url`} ref={urlRef} className="input" readOnly value={created.url} onFocus={(e) => e.currentTarget.select()} data-testid="calendar-url" />
            <button type="button" className="button button--secondary" onClick={() => void copy()}>
              {t.copy}
            </button>
          </div>
          <p className="small muted">{t.howTo}</p>
          {/* webcal: asks the system's calendar app (Outlook, Apple Calendar) to subscribe. */}
          <p className="small">
            <a href={created.url.replace(/^https?:/, 'webcal:')}>{t.openInApp}</a>
          </p>
        </div>
      )}
      <button type="button" className="button" disabled={busy} onClick={() => void create()}>
        {busy ? t.creating : t.create}
      </button>
      {errors.message && (
        <p className="field__error" role="alert">
          {errors.message}
        </p>
      )}
      <p className="small" role="status">
        {status}
      </p>
      {loadFailed && <p className="field__error">{t.loadError}</p>}
      {feeds && (
        <>
          <SubHeading className="calendar-subscriptions__subheading">{t.existing}</SubHeading>
          {feeds.length === 0 ? (
            <p className="muted small">{t.none}</p>
          ) : (
            <ul className="calendar-subscriptions__list">
              {feeds.map((feed) => {
                const date = f.dateTime(feed.createdAt);
                return (
                  <li key={feed.id}>
                    <span>{fmt(t.createdAt, { date })}</span>{' '}
                    <button type="button" className="button button--secondary button--small" disabled={busy} onClick={() => void revoke(feed)} aria-label={fmt(t.revokeNamed, { date })}>
                      {t.revoke}
                    </button>
                  </li>
                );
              })}
            </ul>
          )}
        </>
      )}
    </section>
  );
}
