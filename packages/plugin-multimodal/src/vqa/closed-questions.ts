/** The kinds of question a zero-shot model can answer by choosing among candidates. */
export type ClosedQuestion =
  | { kind: 'object'; template: string }
  | { kind: 'colour'; subject: string; template: string }
  | { kind: 'choice'; options: string[]; template: string };

export const DEFAULT_OBJECT_CANDIDATES: readonly string[] = [
  'person', 'dog', 'cat', 'bird', 'horse', 'car', 'bicycle', 'motorcycle', 'bus', 'truck', 'airplane', 'boat', 'train',
  'chair', 'sofa', 'table', 'bed', 'lamp', 'bottle', 'cup', 'bowl', 'plate', 'book', 'laptop', 'phone', 'keyboard',
  'watch', 'shoe', 'bag', 'shirt', 'hat', 'glasses', 'headphones', 'camera', 'flower', 'tree', 'house', 'building',
  'food', 'fruit', 'cake', 'pizza', 'toy', 'ball', 'clock', 'television', 'square', 'circle', 'logo', 'text',
];

export const DEFAULT_COLOUR_CANDIDATES: readonly string[] = [
  'red', 'orange', 'yellow', 'green', 'blue', 'purple', 'pink', 'brown', 'black', 'white', 'grey', 'gold', 'silver',
];

/**
 * Recognises closed-set questions: "what is the main object?", "what colour
 * is the car?", "is it a cat or a dog?". Anything else returns undefined:
 * a zero-shot model must not pretend to answer open-ended questions.
 */
export function parseClosedQuestion(question: string): ClosedQuestion | undefined {
  const q = question.trim().toLowerCase().replace(/[?.!\s]+$/, '');
  const colour = /^what(?:'s| is)? (?:the )?colou?r (?:is |are |of )?(?:the |this |that |it)?\s*(.*)$/.exec(q) ?? /^what colou?r (?:is|are) (?:the |this |that )?(.*)$/.exec(q);
  if (colour) {
    const subject = (colour[1] ?? '').trim() || 'object';
    return { kind: 'colour', subject, template: `a photo of a {} ${subject}.` };
  }
  const choice = /^(?:is|are) (?:it|this|that|these|the \w+) (?:an? |the )?(.+?) or (?:an? |the )?(.+)$/.exec(q);
  if (choice?.[1] && choice[2]) {
    const options = [...choice[1].split(/,\s*(?:an? |the )?/), choice[2]].map((o) => o.trim()).filter(Boolean);
    return { kind: 'choice', options, template: 'a photo of a {}.' };
  }
  if (
    /^what(?:'s| is| are)? (?:the )?(?:main |primary )?(?:object|subject|thing|item)s?(?: in| of)?(?: the| this)?(?: image| picture| photo)?$/.test(q) ||
    /^what(?:'s| is) (?:in|shown in|this|that|pictured in) ?(?:the |this )?(?:image|picture|photo)?$/.test(q) ||
    /^what (?:does|do) (?:the |this )?(?:image|picture|photo) show$/.test(q)
  ) {
    return { kind: 'object', template: 'a photo of a {}.' };
  }
  return undefined;
}
