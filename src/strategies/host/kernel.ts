/**
 * Ignition's `kernelArguments`: `shouldExist` arguments go to
 * boot.kernelParams. `shouldNotExist` removed arguments the OS image put on
 * the command line; NixOS builds its command line from boot.kernelParams
 * and has no list of defaults to remove from, apart from what its own
 * modules add: `loglevel=` (boot.consoleLogLevel, nixos/modules/system/boot/
 * kernel.nix), `init=` and the system path (the boot loader), and what
 * options such as security.lsm contribute.
 */
import { list, str } from '../../nix/ast.ts';
import { OWNER, type BuildContext } from '../context.ts';
import { originComment } from '../values.ts';

/** boot.kernelParams' element type: no blanks outside double quotes. */
const KERNEL_PARAM = /^([^"\s]|"[^"]*")+$/;

/** Arguments NixOS itself puts on the command line, and the option that controls each. */
const NIXOS_DEFAULTS: readonly { readonly test: RegExp; readonly option: string }[] = [
  { test: /^loglevel=/, option: 'boot.consoleLogLevel (default 4)' },
  { test: /^lsm=/, option: 'security.lsm' },
  { test: /^init=/, option: 'the boot loader (it boots the system generation)' },
];

export function buildKernelArguments(ctx: BuildContext): void {
  const { shouldExist, shouldNotExist } = ctx.host.storage.kernelArguments;
  const params = shouldExist.filter((arg) => {
    if (KERNEL_PARAM.test(arg.value)) return true;
    const reason = `\`${arg.value}\` is not one kernel argument (blanks outside double quotes)`;
    ctx.ledger.unsupported(arg.item, reason);
    ctx.ledger.report('error', 'kernel/bad-argument', `${arg.item.label}: ${reason}`, arg.item.origin, 'Split it into one entry per argument.');
    return false;
  });
  if (params.length > 0) {
    ctx.tree.define(OWNER.configuration, ['boot', 'kernelParams'], list(params.map((p) => str(p.value))), [
      `kernelArguments.shouldExist, from ${originComment(params[0]!.item.origin)}`,
    ]);
    for (const p of params) ctx.ledger.carried(p.item, 'boot.kernelParams');
  }
  for (const arg of shouldNotExist) {
    const own = NIXOS_DEFAULTS.find((d) => d.test.test(arg.value));
    if (own) {
      const reason = `NixOS adds \`${arg.value.split('=')[0]}=\` itself; ${own.option} decides its value`;
      ctx.ledger.unsupported(arg.item, reason);
      ctx.ledger.report('warning', 'kernel/nixos-default', `${arg.item.label}: ${reason}`, arg.item.origin, `set ${own.option} instead of removing the argument`);
    } else {
      ctx.ledger.dropped(arg.item, `NixOS does not put \`${arg.value}\` on the kernel command line; nothing to remove`);
    }
  }
  if (shouldNotExist.length > 0) {
    ctx.ledger.report(
      'info',
      'kernel/removed-arguments',
      `the old host removed ${shouldNotExist.map((a) => `\`${a.value}\``).join(', ')} from the command line of its OS image`,
      shouldNotExist[0]!.item.origin,
      'NixOS starts from an empty boot.kernelParams; check `cat /proc/cmdline` on the new host',
    );
  }
}
