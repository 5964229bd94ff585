/** `Refund_not_showing_up` -> `refund not showing up`: how an intent reads in a reply. */
export function intentLabel(intent: string): string {
  return intent.replace(/[?]/g, '').replace(/_/g, ' ').toLowerCase().trim();
}
