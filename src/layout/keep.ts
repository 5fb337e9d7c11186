/**
 * The flake is the user's once written. A file they edited by hand says so
 * on its first line, and `nixport convert --update` leaves it alone:
 *
 *   # nixport: keep            (Nix, Makefile, .gitignore)
 *   <!-- nixport: keep -->     (Markdown)
 *
 * Every generated file's header repeats this, so the marker is found where
 * it is needed.
 */

export const KEEP_MARKER = 'nixport: keep';

/** The header line that tells a reader about the marker. */
export const KEEP_HINT = 'Edited by hand? Make "# nixport: keep" the first line and `nixport convert --update` leaves this file alone.';

/** The same for Markdown files, whose marker is an HTML comment. */
export const KEEP_HINT_MARKDOWN = 'Edited by hand? Make `<!-- nixport: keep -->` the first line and `nixport convert --update` leaves this file alone.';

const MARKED = /^\s*(?:#|<!--|\/\/)\s*nixport:\s*keep\b/;

/** Whether a file's first line is the keep marker. */
export function isKept(content: string | Uint8Array): boolean {
  const text = typeof content === 'string' ? content.slice(0, 200) : new TextDecoder().decode(content.subarray(0, 200));
  const first = text.split('\n', 1)[0] ?? '';
  return MARKED.test(first);
}
