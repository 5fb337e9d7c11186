import { parseImageReference, type ImageReference } from '../sources/docker/image-ref.ts';
import type { KeyRecipe, ModuleRecipe, Recipe, RecipeInput } from './types.ts';
import { editDistance } from '../model/edit-distance.ts';

/**
 * Which recipe takes a container: by the repository of its image (tag and
 * digest ignored, `nginx` and `docker.io/library/nginx` alike), or of the
 * image it was committed from, or by the program it runs.
 */

/** A recipe's image patterns as fully qualified repository names (`docker.io/jellyfin/jellyfin`). */
export function repositoryNames(images: readonly string[]): string[] {
  return images.map((i) => parseImageReference(i)?.name ?? i);
}

export function imageMatches(patterns: readonly string[], ref: ImageReference | undefined): boolean {
  if (!ref) return false;
  return repositoryNames(patterns).includes(ref.name);
}

/** The program a container runs: the entrypoint, or the first word of its command. */
export function programOf(input: Pick<RecipeInput, 'entrypoint' | 'args'>): string | undefined {
  const word = input.entrypoint ?? input.args[0];
  return word === undefined ? undefined : word.slice(word.lastIndexOf('/') + 1);
}

export type RecipeMatch = { readonly recipe: ModuleRecipe; readonly by: string } | { readonly rejected: readonly string[] };

/** The first module recipe that takes the container, or why the ones whose image matched did not. */
export function matchModuleRecipe(recipes: readonly Recipe[], input: RecipeInput): RecipeMatch {
  const rejected: string[] = [];
  for (const recipe of recipes) {
    if (recipe.kind !== 'module') continue;
    const byImage = imageMatches(recipe.images, input.reference) || imageMatches(recipe.images, input.base);
    const program = programOf(input);
    const byCommand = !byImage && program !== undefined && (recipe.commands ?? []).includes(program);
    if (!byImage && !byCommand) continue;
    const verdict = recipe.accepts?.(input) ?? true;
    if (verdict !== true) {
      rejected.push(`${recipe.app}: ${verdict}`);
      continue;
    }
    const by = byImage
      ? imageMatches(recipe.images, input.reference)
        ? `image ${input.reference!.name}`
        : `image ${input.image}, committed from ${input.base!.name}`
      : `the container runs \`${program}\``;
    return { recipe, by };
  }
  return { rejected };
}

export function matchKeyRecipe(recipes: readonly Recipe[], ref: ImageReference | undefined, program: string | undefined): KeyRecipe | undefined {
  for (const recipe of recipes) {
    if (recipe.kind !== 'key') continue;
    if (imageMatches(recipe.images, ref) || program === recipe.program) return recipe;
  }
  return undefined;
}

/**
 * The recipes whose names are nearest to an image's, for the error when
 * `--strategy NAME=native` finds none: by edit distance between the
 * image's last path component and each recipe's app name and image names.
 */
export function closestRecipes(recipes: readonly Recipe[], image: string, count = 3): string[] {
  const ref = parseImageReference(image);
  const wanted = (ref?.path ?? image).split('/').pop()!.toLowerCase();
  const scored = recipes.map((r) => {
    const names = [r.app, ...('images' in r ? r.images.map((i) => i.split('/').pop()!.split(':')[0]!) : [])];
    const score = Math.min(...names.map((n) => editDistance(wanted, n.toLowerCase()) / Math.max(wanted.length, n.length, 1)));
    return { app: r.app, score };
  });
  return scored
    .sort((a, b) => a.score - b.score || (a.app < b.app ? -1 : a.app > b.app ? 1 : 0))
    .slice(0, count)
    .map((s) => s.app);
}
