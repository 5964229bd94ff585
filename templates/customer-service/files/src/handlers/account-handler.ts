import { findPii } from '@ferry/plugin-prompt';
import type { Classified, Handled } from '../chat/chat-schemas.js';
import { intentLabel } from './intent-label.js';

/** Intents where the card may be in someone else's hands: say so before anything else. */
const URGENT = new Set(['lost_or_stolen_card', 'compromised_card', 'lost_or_stolen_phone']);

/**
 * Account: changes need a verified customer. The first turn asks for the
 * account's email address; the next turn (found through the session history)
 * takes it and hands the request to an account specialist, who confirms the
 * identity against the account system.
 */
export function accountHandler(input: Classified, awaitingIdentity: boolean): Handled {
  const label = intentLabel(input.intent);
  if (awaitingIdentity) {
    const email = findPii(input.message, ['email'])[0];
    if (!email) {
      return {
        ...input,
        response: 'To continue I need the email address registered on your account. Please reply with it.',
        handoff: false,
        awaiting: 'identity',
      };
    }
    const address = input.message.slice(email.start, email.end);
    return {
      ...input,
      response: `Thank you, I have noted ${address} as the email on your account. An account specialist will confirm your identity and continue with your request (${label}).`,
      handoff: true,
    };
  }
  const urgent = URGENT.has(input.intent) ? 'Please freeze your card in the app now (Cards > Freeze) so nobody can use it. ' : '';
  return {
    ...input,
    response: `${urgent}To help with ${label} I first need to verify your identity. Please reply with the email address registered on your account.`,
    handoff: false,
    awaiting: 'identity',
  };
}
