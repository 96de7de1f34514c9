import Organisationsnummer from 'organisationsnummer';
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { api, ApiError, client, unwrap, type Municipality, type Organisation, type OrgKind, type Region } from '../api/client.ts';
import { fmt, useMessages } from '../i18n/index.tsx';
import { coreMessages } from '../i18n/messages/core.ts';
import { organisationsMessages } from '../i18n/messages/organisations.ts';
import { useErrorState } from '../pages/AuthPages.tsx';
import { Combobox } from './Combobox.tsx';
import { ErrorSummary, TextField } from './forms.tsx';

export type OrgNumberState = 'empty' | 'incomplete' | 'valid' | 'invalid';

/** As-you-type check with the `organisationsnummer` package (form and Luhn check digit). */
export function checkOrgNumber(raw: string): OrgNumberState {
  const digits = raw.replace(/\D/g, '');
  if (!digits) return 'empty';
  if (digits.length < 10) return /^[\d\s-]*$/.test(raw) ? 'incomplete' : 'invalid';
  try {
    return Organisationsnummer.valid(raw.trim()) ? 'valid' : 'invalid';
  } catch {
    return 'invalid';
  }
}

function formatOrgNumber(raw: string): string {
  try {
    return Organisationsnummer.parse(raw.trim()).format(true);
  } catch {
    return raw.trim();
  }
}

let referenceCache: Promise<{ municipalities: Municipality[]; regions: Region[] }> | null = null;
function loadReference() {
  referenceCache ??= Promise.all([api.municipalities(), api.regions()]).then(([municipalities, regions]) => ({ municipalities, regions }));
  referenceCache.catch(() => {
    referenceCache = null;
  });
  return referenceCache;
}

/** The organisation a 409 organisation-exists answer names: the user can ask to join it instead. */
interface ExistingOrganisation {
  id: string;
  name: string;
  orgNumber: string;
}

export type JoinResult = { status: 'member' | 'pending'; organisation: ExistingOrganisation };

export function OrganisationForm({
  onCreated,
  onJoin,
  submitLabel,
}: {
  onCreated: (org: Organisation) => void;
  /** Called after a request to join an organisation that exists already (offered in place of creating it). */
  onJoin?: (result: JoinResult) => void;
  submitLabel?: string;
}) {
  const t = useMessages(coreMessages);
  const to = useMessages(organisationsMessages);
  const [existing, setExisting] = useState<ExistingOrganisation | null>(null);
  const [joinState, setJoinState] = useState<'idle' | 'busy' | 'member' | 'pending'>('idle');
  const [name, setName] = useState('');
  const [kind, setKind] = useState<OrgKind>('ideburen');
  const [orgNumber, setOrgNumber] = useState('');
  const [code, setCode] = useState<string | null>(null);
  const [ref, setRef] = useState<{ municipalities: Municipality[]; regions: Region[] } | null>(null);
  const [busy, setBusy] = useState(false);
  const [touchedNumber, setTouchedNumber] = useState(false);
  const err = useErrorState();

  useEffect(() => {
    if (kind !== 'ideburen' && !ref) loadReference().then(setRef, err.fail);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [kind]);

  const numberState = checkOrgNumber(orgNumber);
  const options = useMemo(() => {
    if (!ref) return [];
    if (kind === 'kommun') {
      const counties = new Map(ref.regions.map((r) => [r.code, r.name]));
      return ref.municipalities
        .map((m) => ({ value: m.code, label: m.name, detail: m.countyCode ? counties.get(m.countyCode) : undefined }))
        .sort((a, b) => a.label.localeCompare(b.label, 'sv'));
    }
    return ref.regions.map((r) => ({ value: r.code, label: r.name })).sort((a, b) => a.label.localeCompare(b.label, 'sv'));
  }, [ref, kind]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const local: Record<string, string> = {};
    if (!name.trim()) local.name = t.orgNameRequired;
    if (numberState !== 'valid') local.orgNumber = t.orgNumberInvalid;
    if (kind !== 'ideburen' && !code) local.municipalityCode = kind === 'kommun' ? t.municipalityRequired : t.regionRequired;
    if (Object.keys(local).length) {
      setTouchedNumber(true);
      err.setFieldErrors(local);
      err.setMessage(null);
      return;
    }
    setBusy(true);
    err.clear();
    setExisting(null);
    setJoinState('idle');
    try {
      const org = await api.createOrganisation({
        name: name.trim(),
        kind,
        orgNumber: formatOrgNumber(orgNumber),
        ...(kind !== 'ideburen' && code ? { municipalityCode: code } : {}),
      });
      onCreated(org);
    } catch (x) {
      const named = x instanceof ApiError && x.code === 'organisation-exists' ? (x.body.organisation as ExistingOrganisation | undefined) : undefined;
      if (named) {
        // Shown here, in place of the number's error: the organisation exists, ask to join it instead.
        setExisting(named);
        err.clear();
      } else err.fail(x);
    } finally {
      setBusy(false);
    }
  };

  const numberStatus =
    numberState === 'valid' ? (
      <span className="ok">✓ {t.orgNumberValid}</span>
    ) : numberState === 'incomplete' && !touchedNumber ? (
      <span className="muted">{t.orgNumberIncomplete}</span>
    ) : (
      ''
    );
  const requestJoin = async () => {
    if (!existing) return;
    setJoinState('busy');
    try {
      const r = await unwrap(client.POST('/api/organisations/{id}/join-requests', { params: { path: { id: existing.id } } }));
      setJoinState(r.status);
      onJoin?.({ status: r.status, organisation: existing });
    } catch (x) {
      setJoinState('idle');
      err.fail(x);
    }
  };

  const numberError =
    err.fieldErrors.orgNumber ??
    ((numberState === 'invalid' || (numberState === 'incomplete' && touchedNumber)) ? t.orgNumberInvalid : undefined);

  return (
    <form onSubmit={submit} noValidate className="org-form">
      <ErrorSummary errors={err.fieldErrors} message={err.message} />
      <fieldset className="fieldset">
        <legend className="fieldset__legend">{t.orgKind}</legend>
        <div className="radios radios--inline">
          {(['ideburen', 'kommun', 'region'] as const).map((k) => (
            <label key={k} className="radio">
              <input type="radio" name="kind" value={k} checked={kind === k} onChange={() => { setKind(k); setCode(null); }} />
              <span>{k === 'ideburen' ? t.kindIdeburen : k === 'kommun' ? t.kindKommun : t.kindRegion}</span>
            </label>
          ))}
        </div>
      </fieldset>
      {kind !== 'ideburen' && (
        <Combobox
          key={kind}
          name="municipalityCode"
          label={kind === 'kommun' ? t.municipality : t.region}
          hint={kind === 'kommun' ? t.municipalityHint : t.regionHint}
          error={err.fieldErrors.municipalityCode}
          options={options}
          value={code}
          onChange={(v) => {
            setCode(v);
            const opt = options.find((o) => o.value === v);
            if (opt && !name.trim()) setName(kind === 'kommun' ? `${opt.label} kommun` : opt.label);
          }}
        />
      )}
      <TextField name="name" label={t.orgName} value={name} onChange={(e) => setName(e.target.value)} error={err.fieldErrors.name} autoComplete="organization" />
      <TextField
        name="orgNumber"
        label={t.orgNumber}
        hint={t.orgNumberHint}
        inputMode="numeric"
        className="input--short"
        value={orgNumber}
        onChange={(e) => setOrgNumber(e.target.value)}
        onBlur={() => setTouchedNumber(true)}
        error={numberError}
        status={numberStatus}
      />
      <div role="status" aria-live="polite">
        {existing && (
          <div className="notice notice--warning" data-testid="organisation-exists">
            <p>{fmt(to.exists, { name: existing.name, orgNumber: existing.orgNumber })}</p>
            {joinState === 'pending' ? (
              <p>{fmt(to.requestSent, { name: existing.name })}</p>
            ) : joinState === 'member' ? (
              <p>{fmt(to.joined, { name: existing.name })}</p>
            ) : (
              <p>
                <button type="button" className="button" onClick={requestJoin} disabled={joinState === 'busy'}>
                  {fmt(to.requestJoin, { name: existing.name })}
                </button>
              </p>
            )}
          </div>
        )}
      </div>
      <button type="submit" className={existing ? 'button button--secondary' : 'button'} disabled={busy}>
        {submitLabel ?? t.createOrganisation}
      </button>
    </form>
  );
}
