/**
 * The date a new measurement most likely refers to: the latest follow-up date up to today that has no
 * measurement yet (the one a "missed follow-up" finding names), else today.
 */
export function suggestedMeasuredOn(followUpDates: readonly string[], measuredOn: readonly string[], today: string): string {
  const taken = new Set(measuredOn);
  const due = followUpDates.filter((d) => d <= today && !taken.has(d)).sort();
  return due.at(-1) ?? today;
}
