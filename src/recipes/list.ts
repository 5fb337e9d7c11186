import { RECIPES } from './index.ts';
import { repositoryNames } from './match.ts';
import type { Recipe } from './types.ts';

/** One line of `nixport recipes`: an app, what it becomes, and what it takes. */
export interface RecipeRow {
  readonly app: string;
  readonly title: string;
  /** `services.jellyfin`, `a native unit`, `authorized_keys command=`. */
  readonly becomes: string;
  /** The unit that runs it natively. */
  readonly unit?: string;
  /** Repositories (fully qualified, tags ignored) it converts. */
  readonly images: readonly string[];
  /** Other ways it matches: programs a container runs, or what a script recipe looks for. */
  readonly alsoMatches?: string;
}

export function recipeRows(recipes: readonly Recipe[] = RECIPES): RecipeRow[] {
  return recipes.map((r): RecipeRow => {
    switch (r.kind) {
      case 'module':
        return {
          app: r.app,
          title: r.title,
          becomes: r.module,
          unit: `${r.unit.name}.service`,
          images: repositoryNames(r.images),
          ...(r.commands ? { alsoMatches: `containers that run ${r.commands.map((c) => `\`${c}\``).join(', ')}` } : {}),
        };
      case 'script':
        return { app: r.app, title: r.title, becomes: 'the old unit, running the script from the store', images: [], alsoMatches: r.detects };
      case 'key':
        return { app: r.app, title: r.title, becomes: `authorized_keys command="\${pkgs.${r.attr.join('.')}}${r.bin} ..."`, images: repositoryNames(r.images), alsoMatches: `containers whose entrypoint is \`${r.program}\`` };
    }
  });
}
