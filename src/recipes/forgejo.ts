import { forgeRecipe } from './git-forge.ts';

/**
 * Forgejo: codeberg.org/forgejo/forgejo (and its mirrors) becomes
 * services.forgejo (nixos/modules/services/misc/forgejo.nix; package
 * forgejo-lts). Its `secrets.<section>.<KEY>` takes a file for any app.ini
 * key (LoadCredential, then environment-to-ini), so secret variables of
 * the container keep working. Forgejo's images read FORGEJO__ and GITEA__
 * variables alike. See git-forge.ts for what both forges share.
 */
export const forgejo = forgeRecipe({
  app: 'forgejo',
  title: 'Forgejo software forge',
  images: ['codeberg.org/forgejo/forgejo', 'forgejo/forgejo', 'ghcr.io/forgejo/forgejo', 'codeberg.org/forgejo-experimental/forgejo'],
  prefixes: ['FORGEJO__', 'GITEA__'],
  secretOption: (section, key) => `secrets.${quote(section)}.${quote(key)}`,
  appName: 'settings.DEFAULT.APP_NAME',
});

function quote(part: string): string {
  return /^[A-Za-z_][A-Za-z0-9_'-]*$/.test(part) ? part : JSON.stringify(part);
}
