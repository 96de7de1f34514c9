import Organisationsnummer from 'organisationsnummer';
import { useEffect, useMemo, useState } from 'react';
import { api, ApiError, client, unwrap, type Municipality, type Organisation, type OrgKind, type Region } from '../api/client.ts';
import { fmt, useMessages } from '../i18n/index.tsx';
import { coreMessages } from '../i18n/messages/core.ts';
import { organisationsMessages } from '../i18n/messages/organisations.ts';
import { Combobox } from './Combobox.tsx';
import { checkOrgNumber } from './org-number.ts';
import { Form, SubmitButton, TextField, useZodForm } from './forms.tsx';

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

// The form's rules, loaded as the form appears (organisation-schema.ts).
const organisationSchema = () => import('./organisation-schema.ts').then((m) => m.organisationSchema);

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
  const [ref, setRef] = useState<{ municipalities: Municipality[]; regions: Region[] } | null>(null);
  const [touchedNumber, setTouchedNumber] = useState(false);
  const f = useZodForm({
    schema: organisationSchema,
    defaultValues: { kind: 'ideburen', name: '', orgNumber: '', municipalityCode: null },
    wording: {
      name: { required: t.orgNameRequired },
      orgNumber: { org_number_invalid: t.orgNumberInvalid, required: t.orgNumberInvalid },
      municipalityCode: { municipality_required: t.municipalityRequired, region_required: t.regionRequired },
    },
    onSubmit: async ({ name, kind, orgNumber, municipalityCode }) => {
      setExisting(null);
      setJoinState('idle');
      try {
        const org = await api.createOrganisation({
          name,
          kind,
          orgNumber: formatOrgNumber(orgNumber),
          ...(kind !== 'ideburen' && municipalityCode ? { municipalityCode } : {}),
        });
        onCreated(org);
      } catch (x) {
        const named = x instanceof ApiError && x.code === 'organisation-exists' ? (x.body.organisation as ExistingOrganisation | undefined) : undefined;
        // Shown here, in place of the number's error: the organisation exists, ask to join it instead.
        if (named) setExisting(named);
        else throw x;
      }
    },
  });
  const { setValue, watch, formState } = f.form;
  const kind = watch('kind');
  const code = watch('municipalityCode');
  const orgNumber = watch('orgNumber');

  useEffect(() => {
    if (kind !== 'ideburen' && !ref) loadReference().then(setRef, f.fail);
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
      f.fail(x);
    }
  };

  const numberField = f.field('orgNumber');
  const numberError =
    numberField.error ?? (numberState === 'invalid' || (numberState === 'incomplete' && (touchedNumber || formState.isSubmitted)) ? t.orgNumberInvalid : undefined);

  return (
    <Form form={f} className="org-form">
      <fieldset className="fieldset">
        <legend className="fieldset__legend">{t.orgKind}</legend>
        <div className="radios radios--inline">
          {(['ideburen', 'kommun', 'region'] as const).map((k) => (
            <label key={k} className="radio">
              <input type="radio" value={k} {...f.form.register('kind', { onChange: () => setValue('municipalityCode', null) })} />
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
          error={f.errors.municipalityCode}
          options={options}
          value={code}
          onChange={(v) => {
            setValue('municipalityCode', v, { shouldValidate: formState.isSubmitted });
            const opt = options.find((o) => o.value === v);
            if (opt && !f.form.getValues('name').trim()) setValue('name', kind === 'kommun' ? `${opt.label} kommun` : opt.label, { shouldValidate: formState.isSubmitted });
          }}
        />
      )}
      <TextField label={t.orgName} autoComplete="organization" {...f.field('name')} />
      <TextField
        label={t.orgNumber}
        hint={t.orgNumberHint}
        inputMode="numeric"
        className="input--short"
        {...numberField}
        onBlur={(e) => {
          void numberField.onBlur(e);
          setTouchedNumber(true);
        }}
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
      <SubmitButton form={f} className={existing ? 'button button--secondary' : 'button'}>
        {submitLabel ?? t.createOrganisation}
      </SubmitButton>
    </Form>
  );
}
