/** Workflow ids are decimals such as 100.0 or 155.2: shown and used in paths with one decimal. */
export function formatWfId(wfId: number): string {
  const oneDecimal = wfId.toFixed(1);
  return Number(oneDecimal) === wfId ? oneDecimal : String(wfId);
}
