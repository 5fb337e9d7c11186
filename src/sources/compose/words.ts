/**
 * Small value readers Compose needs: a command string split into words as
 * Compose splits it (quotes and backslashes, no expansion), Go durations
 * (`1m30s`), and quoting a word list back into one shell string.
 */

/** `sh -c "echo hi"` -> [`sh`, `-c`, `echo hi`]; undefined when a quote is left open. */
export function splitWords(text: string): string[] | undefined {
  const out: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else word += c;
      continue;
    }
    if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === '\\' && i + 1 < text.length && '"\\$`'.includes(text[i + 1]!)) word += text[++i];
      else word += c;
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < text.length) {
      word += text[++i];
      inWord = true;
    } else if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      if (inWord) out.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote !== undefined) return undefined;
  if (inWord) out.push(word);
  return out;
}

const GO_UNITS: Readonly<Record<string, number>> = { ns: 1e-9, us: 1e-6, µs: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };

/** A Go duration (`90s`, `1m30s`, `1.5h`, `500ms`) in seconds; undefined when it is not one. */
export function durationSeconds(text: string): number | undefined {
  const s = text.trim();
  if (s === '0') return 0;
  const part = /([0-9]+(?:\.[0-9]*)?|\.[0-9]+)(ns|us|µs|ms|s|m|h)/y;
  let total = 0;
  let at = 0;
  while (at < s.length) {
    part.lastIndex = at;
    const m = part.exec(s);
    if (!m) return undefined;
    total += Number(m[1]) * GO_UNITS[m[2]!]!;
    at = part.lastIndex;
  }
  return at === 0 ? undefined : total;
}

/** Words as one POSIX shell string, each quoted only where it must be. */
export function shellJoin(words: readonly string[]): string {
  return words.map((w) => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`)).join(' ');
}
