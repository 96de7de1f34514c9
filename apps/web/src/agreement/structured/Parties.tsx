import type { ContactPerson, Signatory } from '@overens/model';
import { fmt, useMessages } from '../../i18n/index.tsx';
import { agreementMessages } from '../../i18n/messages/agreement.ts';
import { organisationsMessages } from '../../i18n/messages/organisations.ts';
import { useAgreement } from '../../shell/agreement-context.tsx';
import { CellInput, useAdoc } from './common.tsx';

export function PartiesEditor() {
  const t = useMessages(agreementMessages);
  const { readOnly, partyColor, agreement } = useAgreement();
  const tv = useMessages(organisationsMessages);
  const unverified = (id: string) => agreement.parties.find((x) => x.id === id)?.verified === false;
  const { adoc } = useAdoc();
  const parties = adoc.parties();
  const kind = (k: string) => (k === 'kommun' ? t.partyKommun : k === 'region' ? t.partyRegion : t.partyIdeburen);
  return (
    <div className="structured-block" id="parties">
      <h3 className="structured-block__title">{t.partiesTitle}</h3>
      {parties.length === 0 && <p className="empty small">{t.partiesEmpty}</p>}
      <div className="party-cards">
        {parties.map((p) => (
          <article key={p.id} id={`party-${p.id}`} className="party-card" style={{ borderTopColor: partyColor(p.id) }} aria-labelledby={`party-name-${p.id}`}>
            <h4 id={`party-name-${p.id}`} className="party-card__name">{p.name}</h4>
            <p className="muted small" id={`party-${p.id}-orgNumber`}>
              {kind(p.kind)} · {t.orgNumberShort} {p.orgNumber || '—'}
              {unverified(p.id) && (
                <>
                  {' · '}
                  <span className="tag tag--yellow" title={tv.notVerifiedBadgeTitle} data-testid="party-not-verified">
                    {tv.notVerified}
                  </span>
                </>
              )}
            </p>
            <PeopleTable
              id={`party-${p.id}-contacts`}
              title={t.contactsTitle}
              people={p.contacts}
              fields={[
                { key: 'name', label: t.personName },
                { key: 'title', label: t.personTitle },
                { key: 'email', label: t.personEmail, type: 'email' },
                { key: 'phone', label: t.personPhone, type: 'tel' },
              ]}
              readOnly={readOnly}
              addLabel={t.addContact}
              emptyLabel={t.noContacts}
              onAdd={() => adoc.addContact(p.id, {})}
              onUpdate={(id, patch) => adoc.updateContact(p.id, id, patch)}
              onRemove={(id) => adoc.removeContact(p.id, id)}
              partyName={p.name}
            />
            <PeopleTable
              id={`party-${p.id}-signatories`}
              title={t.signatoriesTitle}
              people={p.signatories}
              fields={[
                { key: 'name', label: t.personName },
                { key: 'title', label: t.personTitle },
              ]}
              readOnly={readOnly}
              addLabel={t.addSignatory}
              emptyLabel={t.noSignatories}
              onAdd={() => adoc.addSignatory(p.id, {})}
              onUpdate={(id, patch) => adoc.updateSignatory(p.id, id, patch)}
              onRemove={(id) => adoc.removeSignatory(p.id, id)}
              partyName={p.name}
            />
          </article>
        ))}
      </div>
    </div>
  );
}

type Person = ContactPerson | Signatory;

function PeopleTable({
  id,
  title,
  people,
  fields,
  readOnly,
  addLabel,
  emptyLabel,
  onAdd,
  onUpdate,
  onRemove,
  partyName,
}: {
  id: string;
  title: string;
  people: Person[];
  fields: Array<{ key: string; label: string; type?: string }>;
  readOnly: boolean;
  addLabel: string;
  emptyLabel: string;
  onAdd: () => void;
  onUpdate: (id: string, patch: Record<string, string>) => void;
  onRemove: (id: string) => void;
  partyName: string;
}) {
  const t = useMessages(agreementMessages);
  return (
    <div className="people" id={id}>
      <h5 className="people__title">{title}</h5>
      {people.length === 0 ? (
        <p className="muted small">{emptyLabel}</p>
      ) : (
        <ul className="people__list">
          {people.map((person, i) => (
            <li key={person.id} className="people__row">
              {fields.map((f) => (
                <CellInput
                  key={f.key}
                  type={f.type ?? 'text'}
                  label={`${f.label} – ${title} ${i + 1}, ${partyName}`}
                  placeholder={f.label}
                  readOnly={readOnly}
                  value={String((person as unknown as Record<string, unknown>)[f.key] ?? '')}
                  onValue={(v) => onUpdate(person.id, { [f.key]: v })}
                />
              ))}
              {!readOnly && (
                <button type="button" className="icon-button icon-button--danger" onClick={() => onRemove(person.id)}>
                  {t.remove}<span className="visually-hidden"> {fmt(t.personN, { title, n: i + 1 })}</span>
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {!readOnly && (
        <button type="button" className="link-button small" onClick={onAdd}>
          + {addLabel}
        </button>
      )}
    </div>
  );
}
