import { recipeRows } from '../recipes/list.ts';

/** `nixport recipes`: the apps stage 3 converts, as text or JSON. */
export function renderRecipes(json: boolean): string {
  const rows = recipeRows();
  if (json) return `${JSON.stringify(rows, null, 2)}\n`;
  const lines = ['Stage 3 (--stage native, --strategy NAME=native) turns these into NixOS modules:', ''];
  for (const r of rows) {
    lines.push(`${r.app}: ${r.title}`);
    lines.push(`  becomes: ${r.becomes}${r.unit ? ` (${r.unit})` : ''}`);
    if (r.images.length > 0) lines.push(`  images:  ${r.images.join(', ')}`);
    if (r.alsoMatches) lines.push(`  also:    ${r.alsoMatches}`);
    lines.push('');
  }
  lines.push('Tags and digests do not matter. Other containers stay at stage 2 (oci) under --stage native; the report says why.');
  return `${lines.join('\n')}\n`;
}
