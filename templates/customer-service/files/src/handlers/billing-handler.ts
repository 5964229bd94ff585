import type { Classified, Handled } from '../chat/chat-schemas.js';
import { intentLabel } from './intent-label.js';

const DETAILS = 'your account number and the date and amount of the charge (or the invoice number)';

/** Replies for groups of billing intents; each asks for what the billing team needs to act. */
const REPLIES: Array<{ intents: string[]; reply: string }> = [
  {
    intents: ['transaction_charged_twice'],
    reply: `I'm sorry you were charged twice for the same payment. Please send your account number and the date and amount of both charges, and I'll raise the duplicate with our billing team so it is refunded.`,
  },
  {
    intents: ['card_payment_not_recognised', 'cash_withdrawal_not_recognised', 'direct_debit_payment_not_recognised'],
    reply: `If you don't recognise a payment, freeze your card in the app now (Cards > Freeze). Then send ${DETAILS}, and we'll investigate it with the merchant.`,
  },
  {
    intents: ['request_refund', 'Refund_not_showing_up', 'reverted_card_payment?'],
    reply: `I can help with your refund. Please send your account number and the invoice number or transaction reference of the payment, and the date you asked the merchant for the refund.`,
  },
  {
    intents: [
      'card_payment_fee_charged',
      'extra_charge_on_statement',
      'transfer_fee_charged',
      'cash_withdrawal_charge',
      'top_up_by_card_charge',
      'top_up_by_bank_transfer_charge',
      'exchange_charge',
      'card_payment_wrong_exchange_rate',
      'wrong_exchange_rate_for_cash_withdrawal',
    ],
    reply: `Let's check that charge. Please send ${DETAILS}, and I'll compare it with the fees that applied to it.`,
  },
];

/** Billing: asks for the account and invoice details the billing team needs, specific to the intent. */
export function billingHandler(input: Classified): Handled {
  const specific = REPLIES.find((r) => r.intents.includes(input.intent));
  const response =
    specific?.reply ??
    `I can help you with billing issues (${intentLabel(input.intent)}). Please provide your account number and the invoice number you're inquiring about.`;
  return { ...input, response, handoff: false };
}
