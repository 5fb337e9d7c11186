import { unitStem } from '../model/unit.ts';

/**
 * What systemd does to a command-line word before running it
 * (systemd.service(5), "Command lines"), for the words of a `docker run`
 * that moves into virtualisation.oci-containers, where nothing expands them
 * any more: `${NAME}` anywhere and `$NAME` as a whole word take the value
 * from the unit's Environment=; `$$` is `$`; the specifiers `%n`, `%N`,
 * `%p`, `%%` are known from the unit's name. Everything else (a variable
 * from EnvironmentFile=, `%H`, `$NAME` inside a word) is known only on the
 * old host at run time, so the word cannot be moved.
 */

export type Expanded = { readonly ok: true; readonly value: string; readonly changed: boolean } | { readonly ok: false; readonly reason: string };

export function expandWord(word: string, env: ReadonlyMap<string, string>, unitName: string): Expanded {
  if (!word.includes('$') && !word.includes('%')) return { ok: true, value: word, changed: false };
  const whole = /^\$([A-Za-z_][A-Za-z0-9_]*)$/.exec(word);
  if (whole) {
    const value = env.get(whole[1]!);
    if (value === undefined) return { ok: false, reason: unknownVariable(word) };
    // A whole-word `$NAME` is split at blanks into several words.
    if (/\s/.test(value)) return { ok: false, reason: `\`${word}\` stands for several words (systemd splits its value at blanks)` };
    return { ok: true, value, changed: true };
  }
  let out = '';
  for (let i = 0; i < word.length; i++) {
    const c = word[i]!;
    const next = word[i + 1];
    if (c === '$' && next === '$') {
      out += '$';
      i++;
    } else if (c === '$' && next === '{') {
      const close = word.indexOf('}', i);
      const name = close < 0 ? '' : word.slice(i + 2, close);
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return { ok: false, reason: `\`${word}\` holds an expansion nixport cannot read` };
      const value = env.get(name);
      if (value === undefined) return { ok: false, reason: unknownVariable(`\${${name}}`) };
      out += value;
      i = close;
    } else if (c === '$' && next !== undefined && /[A-Za-z_]/.test(next)) {
      return { ok: false, reason: `\`${word}\` uses \`$NAME\` inside a word, which systemd leaves as written; write \`\${NAME}\`` };
    } else if (c === '%') {
      const specifier = SPECIFIERS[next ?? ''];
      if (specifier === undefined) return { ok: false, reason: `\`%${next ?? ''}\` in \`${word}\` is a specifier systemd fills in at run time` };
      out += specifier(unitName);
      i++;
    } else {
      out += c;
    }
  }
  return { ok: true, value: out, changed: out !== word };
}

const SPECIFIERS: Readonly<Record<string, (unit: string) => string>> = {
  '%': () => '%',
  n: (unit) => unit,
  N: (unit) => unitStem(unit),
  p: (unit) => unitStem(unit).split('@')[0]!,
};

function unknownVariable(text: string): string {
  return `\`${text}\` is not set by the unit's Environment= (systemd fills it in at run time, from EnvironmentFile= or the manager)`;
}
