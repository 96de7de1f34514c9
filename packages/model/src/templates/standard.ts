import type { Template } from '../types.ts';

/** Id of the built-in standard IOP template (not a database row; the server serves it as version 1). */
export const STANDARD_TEMPLATE_ID = 'standard-iop';
export const STANDARD_TEMPLATE_VERSION = 1;

/**
 * The standard IOP template: the 15 headings of a typical idéburet offentligt partnerskap agreement,
 * in order. Keys are stable English snake_case identifiers; never rename one (agreements store them).
 */
export const STANDARD_TEMPLATE: Template = {
  name: 'Standardmall för IOP',
  sections: [
    {
      key: 'background',
      title: 'Bakgrund',
      guidance:
        'Beskriv det behov eller samhällsproblem som partnerskapet ska möta och hur idén till samarbetet uppstod. Nämn gärna tidigare samarbete mellan parterna.',
      required: true,
    },
    {
      key: 'parties',
      title: 'Parter',
      guidance:
        'Ange parterna i överenskommelsen med fullständigt namn och organisationsnummer, och vem som företräder respektive part.',
      required: true,
    },
    {
      key: 'purpose',
      title: 'Syftet med partnerskapet och verksamheten',
      guidance:
        'Beskriv vad partnerskapet ska uppnå och vilken verksamhet som ska bedrivas. Syftet ska vara gemensamt för parterna.',
      required: true,
    },
    {
      key: 'form_and_premises',
      title: 'Om överenskommelsens form och utgångspunkter',
      guidance:
        'Förklara varför parterna valt IOP som samverkansform i stället för upphandling eller bidrag, och vilka politiska beslut eller program överenskommelsen utgår från.',
      required: true,
    },
    {
      key: 'values',
      title: 'Värdegrund för partnerskapet',
      guidance:
        'Beskriv de värderingar och principer som parterna delar, till exempel ömsesidig respekt, öppenhet och den idéburna organisationens självständighet.',
      required: false,
    },
    {
      key: 'assignment',
      title: 'Insats – uppdrag',
      guidance:
        'Beskriv konkret vad som ska göras, av vem och för vem. Ange vad respektive part ansvarar för i verksamheten.',
      required: true,
    },
    {
      key: 'contacts',
      title: 'Kontaktpersoner och ansvariga',
      guidance:
        'Ange kontaktpersoner och ansvariga hos varje part, med roll och kontaktuppgifter, och hur kontaktpersoner byts ut.',
      required: true,
    },
    {
      key: 'delimitations',
      title: 'Avgränsningar',
      guidance:
        'Beskriv vad som inte ingår i partnerskapet, så att det är tydligt var ansvaret för verksamheten börjar och slutar.',
      required: false,
    },
    {
      key: 'cooperation',
      title: 'Samverkan',
      guidance:
        'Beskriv hur parterna samverkar i vardagen: mötesformer, hur ofta man träffas, hur beslut fattas och hur oenighet hanteras.',
      required: true,
    },
    {
      key: 'target_group',
      title: 'Målgruppen',
      guidance:
        'Beskriv vilka verksamheten riktar sig till, ungefär hur många, och hur målgruppen nås och görs delaktig.',
      required: true,
    },
    {
      key: 'economy',
      title: 'Ekonomi',
      guidance:
        'Beskriv hur verksamheten finansieras och vad varje part bidrar med i pengar och andra resurser. Ange hur och när utbetalningar sker och hur medel redovisas.',
      required: true,
    },
    {
      key: 'marketing',
      title: 'Marknadsföring',
      guidance:
        'Beskriv hur verksamheten och partnerskapet ska kommuniceras utåt och hur parterna syns i den kommunikationen.',
      required: false,
    },
    {
      key: 'follow_up',
      title: 'Uppföljning och kunskapsinhämtning',
      guidance:
        'Beskriv hur målen följs upp, vem som samlar in underlag, när uppföljningen sker och hur parterna tar tillvara erfarenheterna.',
      required: true,
    },
    {
      key: 'period',
      title: 'Period för partnerskapet',
      guidance:
        'Ange partnerskapets start- och slutdatum. Ett IOP är tänkt att vara långsiktigt, oftast flera år.',
      required: true,
    },
    {
      key: 'extension_termination',
      title: 'Förlängning, omförhandling, upphävning',
      guidance:
        'Beskriv hur och när överenskommelsen kan förlängas eller omförhandlas, uppsägningstiden, och vad som händer om en part inte fullföljer sina åtaganden.',
      required: true,
    },
  ],
};
