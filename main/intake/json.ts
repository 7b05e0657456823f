// JSON records of a file, checked before they are parsed: nested no deeper and with no more fields than the limits
// say (JSON.parse of 100,000 nested arrays overflows the stack; a record of a million keys holds memory for nothing),
// each refusal in words with its line. A JSON array is read element by element, never held whole.
import { IntakeError, sizeInWords, type IntakeLimits, type TextLine } from './text.js';

const OPEN_OBJECT = 0x7b;
const OPEN_ARRAY = 0x5b;
const CLOSE_OBJECT = 0x7d;
const CLOSE_ARRAY = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;

/** How many times `ch` occurs in `text`, counting no further than `stop` (a native search per occurrence). */
function occurrences(text: string, ch: string, stop: number): number {
  let n = 0;
  for (let i = text.indexOf(ch); i !== -1 && n <= stop; i = text.indexOf(ch, i + 1)) n++;
  return n;
}

/** Why a JSON text is deeper or wider than allowed (scanned, not parsed), or null. */
export function jsonShapeProblem(
  text: string,
  limits: Pick<IntakeLimits, 'maxDepth' | 'maxFields'>,
): string | null {
  // Nesting can't go deeper than the brackets there are, nor fields outnumber the colons: a usual record is passed
  // on after a few native searches; only one with many brackets or colons is scanned character by character.
  // (A field takes at least four characters, `"":0`, so a short text is not even searched for colons.)
  const brackets = occurrences(text, '{', limits.maxDepth) + occurrences(text, '[', limits.maxDepth);
  const fewFields =
    text.length < 4 * limits.maxFields || occurrences(text, ':', limits.maxFields) <= limits.maxFields;
  if (brackets <= limits.maxDepth && fewFields) return null;
  let depth = 0;
  let fields = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      // Skip the string: its brackets and colons are text.
      for (i++; i < text.length; i++) {
        const s = text.charCodeAt(i);
        if (s === BACKSLASH) i++;
        else if (s === QUOTE) break;
      }
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (++depth > limits.maxDepth) return `nests objects and arrays deeper than ${limits.maxDepth} levels`;
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) depth--;
    else if (c === COLON && ++fields > limits.maxFields)
      return `has more than ${limits.maxFields.toLocaleString('en')} fields`;
  }
  return null;
}

/** One record's JSON text parsed, after its shape is checked; refusals name the line. */
export function parseJsonRecord(
  record: TextLine,
  limits: Pick<IntakeLimits, 'maxDepth' | 'maxFields'>,
  what = 'Line',
): unknown {
  const problem = jsonShapeProblem(record.text, limits);
  if (problem)
    throw new IntakeError(`${what} ${record.line} ${problem}, more than any user holds.`, record.line);
  try {
    return JSON.parse(record.text) as unknown;
  } catch (err) {
    throw new IntakeError(
      `${what} ${record.line} is not valid JSON (${(err as Error).message}).`,
      record.line,
    );
  }
}

/**
 * The elements of a JSON array (`[{…}, {…}]`), one at a time, each with its number and the line it starts on; an
 * element past the record limit, or nested or wide past the limits, is refused before more of it is held.
 */
export async function* jsonArrayElements(
  chunks: AsyncIterable<Buffer>,
  limits: IntakeLimits,
): AsyncGenerator<TextLine & { index: number }> {
  type State = 'before' | 'between' | 'element' | 'after';
  let state: State = 'before';
  let line = 1;
  let index = 0;
  let depth = 0;
  let fields = 0;
  let inString = false;
  let escaped = false;
  let startLine = 1;
  let parts: Buffer[] = [];
  let held = 0;
  const refuse = (why: string) => {
    throw new IntakeError(`Element ${index} of the array (line ${startLine}) ${why}.`, startLine);
  };
  const emit = (chunk: Buffer, end: number, from: number) => {
    const buf = Buffer.concat([...parts, chunk.subarray(from, end)]);
    parts = [];
    held = 0;
    return { text: buf.toString('utf8'), line: startLine, index };
  };
  for await (const chunk of chunks) {
    let from = 0; // where the current element's bytes start in this chunk
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i]!;
      if (c === 10) line++;
      if (state === 'element') {
        if (inString) {
          if (escaped) escaped = false;
          else if (c === BACKSLASH) escaped = true;
          else if (c === QUOTE) inString = false;
          continue;
        }
        if (c === QUOTE) inString = true;
        else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
          if (++depth > limits.maxDepth)
            refuse(`nests objects and arrays deeper than ${limits.maxDepth} levels`);
        } else if (c === COLON) {
          if (++fields > limits.maxFields)
            refuse(`has more than ${limits.maxFields.toLocaleString('en')} fields`);
        } else if ((c === CLOSE_OBJECT || c === CLOSE_ARRAY) && depth > 0) {
          depth--;
        } else if (depth === 0 && (c === COMMA || c === CLOSE_ARRAY)) {
          yield emit(chunk, i, from);
          state = c === COMMA ? 'between' : 'after';
        }
        continue;
      }
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) continue;
      if (state === 'before') {
        if (c !== OPEN_ARRAY)
          throw new IntakeError(
            'The file is not a JSON array of users ([{…}, {…}]): it does not start with "[".',
            line,
          );
        state = 'between';
      } else if (state === 'between') {
        if (c === CLOSE_ARRAY && index === 0) state = 'after';
        else if (c === COMMA)
          throw new IntakeError(`The file is not valid JSON: line ${line} has two commas in a row.`, line);
        else {
          state = 'element';
          index++;
          startLine = line;
          depth = 0;
          fields = 0;
          from = i;
          i--; // read this byte again as the element's first
        }
      } else if (state === 'after')
        throw new IntakeError(
          `The file is not valid JSON: line ${line} goes on after the array's end.`,
          line,
        );
    }
    if (state === 'element') {
      held += chunk.length - from;
      if (held > limits.maxRecordBytes)
        refuse(`is larger than ${sizeInWords(limits.maxRecordBytes)}, the most one user of this file may be`);
      parts.push(chunk.subarray(from));
    }
  }
  const end = state as State;
  if (end === 'before')
    throw new IntakeError('The file is not a JSON array of users ([{…}, {…}]): it holds no array.');
  if (end !== 'after')
    throw new IntakeError(
      'The file is not valid JSON: its array is not closed (is the file cut short?).',
      line,
    );
}
