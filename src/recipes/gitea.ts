import { forgeRecipe } from './git-forge.ts';

/**
 * Gitea: gitea/gitea becomes services.gitea
 * (nixos/modules/services/misc/gitea.nix), not Forgejo: the data is
 * Gitea's, and a move to Forgejo is a migration of its own. The module
 * has no generic secret files: the database, mailer, metrics and camo
 * secrets have options of their own (database.passwordFile,
 * mailerPasswordFile, metricsTokenFile, camoHmacKeyFile); other secret
 * variables are reported. See git-forge.ts for what both forges share.
 */
const SECRET_OPTIONS: Readonly<Record<string, string>> = {
  'database.PASSWD': 'database.passwordFile',
  'mailer.PASSWD': 'mailerPasswordFile',
  'metrics.TOKEN': 'metricsTokenFile',
  'camo.HMAC_KEY': 'camoHmacKeyFile',
};

export const gitea = forgeRecipe({
  app: 'gitea',
  title: 'Gitea software forge',
  images: ['gitea/gitea', 'docker.gitea.com/gitea'],
  prefixes: ['GITEA__'],
  secretOption: (section, key) => SECRET_OPTIONS[`${section}.${key}`],
  appName: 'appName',
});
