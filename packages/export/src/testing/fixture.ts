import type { AgreementSnapshot, RichNode, SectionSnapshot } from '@overens/model';
import { STANDARD_TEMPLATE } from '@overens/model';
import type { ExportMeta } from '../meta.ts';

/** Small builders for ProseMirror-shaped rich text in tests and benches. */
export const t = (text: string, ...marks: string[]): RichNode => ({
  type: 'text',
  text,
  ...(marks.length ? { marks: marks.map((m) => ({ type: m })) } : {}),
});
export const link = (text: string, href: string): RichNode => ({
  type: 'text',
  text,
  marks: [{ type: 'link', attrs: { href } }],
});
export const p = (...content: Array<RichNode | string>): RichNode => ({
  type: 'paragraph',
  content: content.map((c) => (typeof c === 'string' ? t(c) : c)),
});
export const h = (level: number, text: string): RichNode => ({ type: 'heading', attrs: { level }, content: [t(text)] });
export const ul = (...items: string[]): RichNode => ({
  type: 'bulletList',
  content: items.map((i) => ({ type: 'listItem', content: [p(i)] })),
});
export const ol = (...items: string[]): RichNode => ({
  type: 'orderedList',
  attrs: { start: 1 },
  content: items.map((i) => ({ type: 'listItem', content: [p(i)] })),
});
export const table = (header: string[], ...rows: string[][]): RichNode => ({
  type: 'table',
  content: [
    { type: 'tableRow', content: header.map((c) => ({ type: 'tableHeader', content: [p(c)] })) },
    ...rows.map((r) => ({ type: 'tableRow', content: r.map((c) => ({ type: 'tableCell', content: [p(c)] })) })),
  ],
});
export const doc = (...content: RichNode[]): RichNode => ({ type: 'doc', content });

const BODIES: Record<string, RichNode> = {
  background: doc(
    p(
      'I Sjöviks kommun bor många barn och unga som saknar en trygg plats att vara på efter skoltid. ',
      t('Föreningen Gemenskap i Ängby', 'bold'),
      ' har sedan 2019 drivit öppen verksamhet med läxhjälp och språkcafé i stadsdelen, med ideella krafter.',
    ),
    p(
      'Under 2025 genomförde parterna en gemensam behovsinventering. Den visade att efterfrågan på läxhjälp är större än vad föreningen kan möta på egen hand, och att kommunens fritidsgårdar inte når målgruppen.',
    ),
  ),
  parties: doc(
    p('Parter i denna överenskommelse är Sjöviks kommun, organisationsnummer 212000-1231, genom socialnämnden, och Föreningen Gemenskap i Ängby, organisationsnummer 802456-1238.'),
  ),
  purpose: doc(
    p('Syftet med partnerskapet är att ge barn och unga i Ängby bättre förutsättningar att klara skolan och att stärka deras delaktighet i samhället.'),
    ul(
      'öka andelen elever i årskurs 9 som når gymnasiebehörighet,',
      'minska ofrivillig ensamhet bland unga,',
      'skapa en mötesplats där föräldrar och ideella möts.',
    ),
  ),
  form_and_premises: doc(
    p(
      'Överenskommelsen är ett idéburet offentligt partnerskap (IOP). Den utgår från kommunfullmäktiges ',
      t('Program för trygghet och delaktighet 2024–2030', 'italic'),
      ', som uttryckligen pekar ut civilsamhällets organisationer som samarbetspartner. Mer om formen finns hos ',
      link('Forum – idéburna organisationer med social inriktning', 'https://www.forumideburen.org'),
      '.',
    ),
  ),
  values: doc(
    p('Parterna respekterar varandras roller. Föreningen behåller sin självständighet och sin rätt att vara röstbärare och opinionsbildare, även i frågor som rör kommunen.'),
  ),
  assignment: doc(
    h(1, 'Föreningens åtaganden'),
    ol(
      'Bedriva läxhjälp måndag till torsdag kl. 15–18 under skolterminerna.',
      'Organisera språkcafé för föräldrar varannan lördag.',
      'Rekrytera, introducera och handleda ideella läxhjälpare.',
    ),
    h(1, 'Kommunens åtaganden'),
    ol(
      'Upplåta lokal i Ängby bibliotek utan kostnad.',
      'Bidra med en fritidsledare på halvtid.',
      'Lämna ekonomiskt bidrag enligt avsnittet om ekonomi.',
    ),
  ),
  contacts: doc(
    table(
      ['Part', 'Kontaktperson', 'Roll', 'E-post'],
      ['Sjöviks kommun', 'Karin Lindqvist', 'Enhetschef fritid', 'karin.lindqvist@sjovik.se'],
      ['Föreningen Gemenskap i Ängby', 'Ahmed Yusuf', 'Verksamhetsledare', 'ahmed@gemenskapangby.se'],
    ),
  ),
  delimitations: doc(p('Partnerskapet omfattar inte myndighetsutövning, och inte heller verksamhet under sommarlovet.')),
  cooperation: doc(
    p('Parterna bildar en samverkansgrupp med två företrädare från vardera part. Gruppen träffas minst fyra gånger per år och för anteckningar som delges båda parter.'),
    p('Oenighet ska i första hand lösas i samverkansgruppen och i andra hand av ', t('socialnämndens ordförande', 'italic'), ' och föreningens styrelseordförande.'),
  ),
  target_group: doc(p('Barn och unga 10–18 år som bor eller går i skola i Ängby, cirka 120 personer per termin, samt deras föräldrar.')),
  economy: doc(
    p('Kommunen bidrar med 450 000 kronor per år. Utbetalning sker kvartalsvis i förskott. Föreningen redovisar använda medel i samband med uppföljningen.'),
    table(['Post', 'Belopp per år'], ['Bidrag från kommunen', '450 000 kr'], ['Föreningens egen finansiering', '120 000 kr']),
  ),
  marketing: doc(p('Båda parternas logotyper används i information om verksamheten. Kommunikation sker i samråd.')),
  follow_up: doc(
    p('Verksamheten följs upp två gånger per år mot målen i måltabellen. Föreningen samlar in underlag; kommunen bidrar med statistik om skolresultat på gruppnivå.'),
  ),
  period: doc(p('Överenskommelsen gäller från och med den 1 januari 2027 till och med den 31 december 2029.')),
  extension_termination: doc(
    p('Överenskommelsen kan förlängas med två år i taget. Omförhandling påbörjas senast sex månader före periodens slut. Uppsägningstiden är sex månader.'),
    p('Om en part väsentligt brister i sina åtaganden får den andra parten häva överenskommelsen med omedelbar verkan.'),
  ),
};

const KOMMUN = 'org-kommun';
const FORENING = 'org-forening';

function section(i: number, key: string, title: string, required: boolean, guidance: string | null): SectionSnapshot {
  return {
    id: `s${i + 1}`,
    key,
    title,
    required,
    guidance,
    body: BODIES[key] ?? doc(p(`Text för ${title}.`)),
    status: 'agreed',
    readyForReview: null,
    agreedBy: {},
    lastResetBy: null,
  };
}

/** A complete, realistic agreement between a kommun and an idéburen organisation. */
export function exportFixture(): AgreementSnapshot {
  return {
    title: 'Läxhjälp och mötesplats i Ängby',
    templateId: 'standard-iop',
    templateVersion: 1,
    sections: STANDARD_TEMPLATE.sections.map((s, i) => section(i, s.key, s.title, s.required, s.guidance ?? null)),
    parties: [
      {
        id: KOMMUN,
        name: 'Sjöviks kommun',
        kind: 'kommun',
        orgNumber: '212000-1231',
        municipalityCode: '0180',
        contacts: [{ id: 'c1', name: 'Karin Lindqvist', title: 'Enhetschef fritid', email: 'karin.lindqvist@sjovik.se', phone: '08-123 45 67' }],
        signatories: [{ id: 'sig1', name: 'Eva Öberg', title: 'Socialnämndens ordförande', userId: null }],
      },
      {
        id: FORENING,
        name: 'Föreningen Gemenskap i Ängby',
        kind: 'ideburen',
        orgNumber: '802456-1238',
        municipalityCode: null,
        contacts: [{ id: 'c2', name: 'Ahmed Yusuf', title: 'Verksamhetsledare', email: 'ahmed@gemenskapangby.se', phone: '070-123 45 67' }],
        signatories: [
          { id: 'sig2', name: 'Åsa Nyström', title: 'Styrelseordförande', userId: null },
          { id: 'sig3', name: 'Jörgen Ekdahl', title: 'Kassör', userId: null },
        ],
      },
    ],
    goals: [
      {
        id: 'g1',
        goal: 'Fler elever i årskurs 9 i Ängby når gymnasiebehörighet.',
        indicator: 'Andel elever i årskurs 9 med gymnasiebehörighet',
        baselineValue: '71 %',
        baselineDate: '2026-06-30',
        baselineSource: 'Skolverkets statistik',
        targetValue: '80 %',
        deadline: '2029-06-30',
        followUpMethod: 'statistics',
        responsiblePartyId: KOMMUN,
        followUpDates: ['2027-08-31', '2028-08-31', '2029-08-31'],
        acceptedBy: { [KOMMUN]: true, [FORENING]: true },
      },
      {
        id: 'g2',
        goal: 'Unga som deltar upplever mindre ensamhet.',
        indicator: 'Andel deltagare som svarar att de har någon att vara med efter skolan',
        baselineValue: '54 %',
        baselineDate: '2026-10-15',
        baselineSource: 'Föreningens enkät',
        targetValue: '75 %',
        deadline: '2029-10-31',
        followUpMethod: 'survey',
        responsiblePartyId: FORENING,
        followUpDates: ['2027-10-31', '2028-10-31'],
        acceptedBy: { [KOMMUN]: true, [FORENING]: true },
      },
      {
        id: 'g3',
        goal: 'Föräldrar deltar regelbundet i språkcaféet.',
        indicator: 'Antal unika föräldrar per termin',
        baselineValue: '15',
        baselineDate: '2026-12-01',
        baselineSource: 'Närvarolistor',
        targetValue: '40',
        deadline: '2028-12-31',
        followUpMethod: 'focus_group',
        responsiblePartyId: FORENING,
        followUpDates: ['2027-12-15'],
        acceptedBy: { [KOMMUN]: true, [FORENING]: true },
      },
    ],
    contributions: [
      { id: 'k1', partyId: KOMMUN, kind: 'money', description: 'Årligt verksamhetsbidrag', quantity: 3, unit: 'år', valueSek: 1_350_000, periodStart: '2027-01-01', periodEnd: '2029-12-31' },
      { id: 'k2', partyId: KOMMUN, kind: 'premises', description: 'Lokal i Ängby bibliotek, 80 m²', quantity: 12, unit: 'tim/vecka', valueSek: 180_000, periodStart: '2027-01-01', periodEnd: '2029-12-31' },
      { id: 'k3', partyId: KOMMUN, kind: 'staff_time', description: 'Fritidsledare på halvtid', quantity: 0.5, unit: 'årsarbete', valueSek: 600_000, periodStart: '2027-01-01', periodEnd: '2029-12-31' },
      { id: 'f1', partyId: FORENING, kind: 'volunteer_work', description: 'Ideella läxhjälpare', quantity: 2400, unit: 'timmar', valueSek: null, periodStart: '2027-01-01', periodEnd: '2029-12-31' },
      { id: 'f2', partyId: FORENING, kind: 'money', description: 'Egen insamling och fondmedel', quantity: null, unit: '', valueSek: 360_000, periodStart: '2027-01-01', periodEnd: '2029-12-31' },
      { id: 'f3', partyId: FORENING, kind: 'expertise', description: 'Metodstöd i språkutveckling', quantity: 40, unit: 'timmar', valueSek: 32_000, periodStart: '2027-01-01', periodEnd: '2027-12-31' },
    ],
    period: { start: '2027-01-01', end: '2029-12-31', noticeMonths: 6, renegotiationBy: '2029-06-30' },
    checklist: {
      initiative_from_ngo: { answer: 'yes', justification: 'Föreningen tog initiativet efter sin behovsinventering 2025.' },
      political_programme: { answer: 'yes', justification: 'Program för trygghet och delaktighet 2024–2030 nämner civilsamhället.' },
      not_standard_grant: { answer: 'yes', justification: 'Verksamheten finansieras inte av föreningsbidrag.' },
      no_market: { answer: 'yes', justification: 'Ingen annan aktör erbjuder motsvarande ideellt buren verksamhet; det finns ingen marknad.' },
      both_finance: { answer: 'yes', justification: 'Båda parter bidrar, se insatstabellen.' },
      long_term: { answer: 'yes', justification: 'Tre år med möjlighet till förlängning.' },
    },
    attachments: [
      { id: 'a1', title: 'Budget 2027–2029', description: 'Verksamhetens budget per år.' },
      { id: 'a2', title: 'Behovsinventering Ängby 2025', description: 'Rapport från parternas gemensamma inventering.' },
    ],
  };
}

export const HASH = '3f5a9c0e7b2d41f8a6c3e9d07b1f4a2c5e8d0b3a6f9c2e5d8a1b4c7e0f3a6d9c';

export function exportMeta(over: Partial<ExportMeta> = {}): ExportMeta {
  return {
    versionLabel: 'Slutlig version 3',
    versionNumber: 3,
    hash: HASH,
    mode: 'signing',
    date: '2026-11-29',
    diarienummer: 'SN 2026/0412',
    ...over,
  };
}
