export function AgreementPage({ agreementId }: { agreementId: string }) {
  return <div>{agreementId}</div>;
}
