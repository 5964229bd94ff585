/** The outcome of reading one bracketed JSON value leniently from a start index. */
export type JsonReadResult =
  | { ok: true; json: string; end: number; repairs: string[] }
  | { ok: false; unclosed: number; mismatched: boolean };

const CLOSERS: Record<string, string> = { '{': '}', '[': ']' };
const SMART_OPEN = new Set(['\u201c', '\u201d', '\u201e', '\u2018', '\u2019']);
const IDENT_START = /[A-Za-z_$]/;
const IDENT_PART = /[A-Za-z0-9_$-]/;
const PYTHON_LITERALS: Record<string, string> = { True: 'true', False: 'false', None: 'null' };

/**
 * Reads the `{...}` or `[...]` starting at `start` and rewrites the slight
 * breakage models produce into strict JSON: trailing commas, comments,
 * single- or smart-quoted strings, bare keys, raw line breaks in strings,
 * Python literals. Brackets inside strings do not count, so it also finds
 * where the value ends in text that goes on with prose.
 */
export function readJsonValue(text: string, start: number): JsonReadResult {
  const parts: string[] = [];
  const repairs = new Set<string>();
  const stack: string[] = [];
  // The last non-blank token written, to tell keys and values from other positions.
  let lastSig = '';
  let lastSigIndex = -1;
  const emit = (token: string): void => {
    parts.push(token);
    if (token.trim() !== '') {
      lastSig = token.trim().slice(-1);
      lastSigIndex = parts.length - 1;
    }
  };
  const atValueStart = (): boolean => lastSig === '' || '{[,:'.includes(lastSig);

  let i = start;
  while (i < text.length) {
    const char = text[i] as string;
    if (/\s/.test(char)) {
      parts.push(char);
      i++;
    } else if (char === '"') {
      const read = readQuoted(text, i, '"', ['"']);
      if (read.rawBreaks) repairs.add('escaped raw line breaks and tabs inside strings');
      emit(read.json);
      i = read.end;
    } else if ((char === "'" || SMART_OPEN.has(char)) && atValueStart()) {
      const closers = char === "'" ? ["'"] : ['\u201c', '\u201d', '\u2018', '\u2019'];
      const read = readQuoted(text, i, char, closers);
      repairs.add(char === "'" ? 'converted single-quoted strings to double quotes' : 'replaced smart quotes with straight quotes');
      if (read.rawBreaks) repairs.add('escaped raw line breaks and tabs inside strings');
      emit(read.json);
      i = read.end;
    } else if (char === '/' && (text[i + 1] === '/' || text[i + 1] === '*')) {
      const close = text[i + 1] === '/' ? text.indexOf('\n', i) : text.indexOf('*/', i + 2);
      i = close === -1 ? text.length : text[i + 1] === '/' ? close : close + 2;
      repairs.add('removed comments');
    } else if (char === '{' || char === '[') {
      stack.push(CLOSERS[char] as string);
      emit(char);
      i++;
    } else if (char === '}' || char === ']') {
      if (stack.pop() !== char) return { ok: false, unclosed: stack.length, mismatched: true };
      if (lastSig === ',') {
        parts[lastSigIndex] = '';
        repairs.add('removed trailing commas');
      }
      emit(char);
      i++;
      if (stack.length === 0) return { ok: true, json: parts.join(''), end: i, repairs: [...repairs] };
    } else if (IDENT_START.test(char)) {
      let end = i + 1;
      while (end < text.length && IDENT_PART.test(text[end] as string)) end++;
      const word = text.slice(i, end);
      const isKey = stack.at(-1) === '}' && (lastSig === '{' || lastSig === ',') && /^\s*:/.test(text.slice(end, end + 40));
      if (isKey) {
        emit(JSON.stringify(word));
        repairs.add('quoted bare keys');
      } else if (PYTHON_LITERALS[word] !== undefined) {
        emit(PYTHON_LITERALS[word]);
        repairs.add('converted Python literals (True, False, None)');
      } else emit(word);
      i = end;
    } else {
      emit(char);
      i++;
    }
  }
  return { ok: false, unclosed: stack.length, mismatched: false };
}

/**
 * Reads a string opened at `start` and returns it double-quoted. A
 * non-standard quote closes only where a `,` `:` `}` `]` or the end follows,
 * so apostrophes inside (`'it's'`) stay part of the text.
 */
function readQuoted(text: string, start: number, open: string, closers: string[]): { json: string; end: number; rawBreaks: boolean } {
  const strict = open === '"';
  let value = '';
  let rawBreaks = false;
  let i = start + 1;
  while (i < text.length) {
    const char = text[i] as string;
    if (char === '\\' && i + 1 < text.length) {
      const next = text[i + 1] as string;
      // `\'` is not a JSON escape; the quote needs no escaping inside double quotes.
      value += next === "'" ? "'" : char + next;
      i += 2;
      continue;
    }
    if (closers.includes(char) && (strict || /^\s*([,:}\]]|$)/.test(text.slice(i + 1, i + 41)))) {
      return { json: `"${value}"`, end: i + 1, rawBreaks };
    }
    if (char === '\n' || char === '\r') {
      rawBreaks = true;
      value += char === '\n' ? '\\n' : '\\r';
    } else if (char === '\t') {
      rawBreaks = true;
      value += '\\t';
    }
    else if (char === '"' && !strict) value += '\\"';
    else value += char;
    i++;
  }
  return { json: `"${value}`, end: text.length, rawBreaks };
}
