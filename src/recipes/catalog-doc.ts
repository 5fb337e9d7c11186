import { CATALOG_RELEASE, CATALOG_SOURCES, OPTION_CATALOG } from './catalog.ts';
import { RECIPES } from './index.ts';
import { recipeRows } from './list.ts';

export const OPTION_CATALOG_FILE = 'docs/option-catalog.md';
export const OPTION_CATALOG_UPDATE = 'NIXPORT_UPDATE_DOCS=1 npx vitest run test/recipes/catalog.test.ts';

/** docs/option-catalog.md: the recipes, and every option they write, from the tables. */
export function renderOptionCatalog(): string {
  const out: string[] = [
    '# Stage 3: recipes and the NixOS options they write',
    '',
    `Generated from src/recipes/ (\`${OPTION_CATALOG_UPDATE}\`); a test fails when it is stale.`,
    '',
    '## Recipes',
    '',
    '| app | becomes | unit | images (tags ignored) | also matches |',
    '|---|---|---|---|---|',
  ];
  for (const r of recipeRows(RECIPES)) {
    out.push(`| ${r.app} | ${cell(r.becomes)} | ${r.unit ?? ''} | ${r.images.join('<br>')} | ${cell(r.alsoMatches ?? '')} |`);
  }
  out.push(
    '',
    `## Options (pinned to NixOS ${CATALOG_RELEASE})`,
    '',
    'Types and defaults as the nixpkgs files declare them. `<name>` stands for any one attribute.',
    '',
    '| option | type | default | file | read in |',
    '|---|---|---|---|---|',
  );
  for (const e of OPTION_CATALOG) out.push(`| \`${e.path}\` | ${e.type} | ${cell(`\`${e.default}\``)} | ${e.file} | ${e.source} |`);
  out.push('', '## Sources', '', '| tag | repository | commit | why this one |', '|---|---|---|---|');
  for (const [tag, s] of Object.entries(CATALOG_SOURCES)) out.push(`| ${tag} | ${s.repo} | ${s.commit} | ${s.why} |`);
  out.push('');
  return out.join('\n');
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}
