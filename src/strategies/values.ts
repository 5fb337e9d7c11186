import { isStoreRef, type Template } from '../model/template.ts';
import { pkg, str, type NixExpr, type StringPart } from '../nix/ast.ts';
import type { Origin } from '../model/origin.ts';

/** A template as a Nix string: `${pkgs.cryptsetup}/bin/cryptsetup --key-file=- ...`. */
export function templateToNix(template: Template): NixExpr {
  const parts: StringPart[] = [];
  const text = (t: string) => {
    const last = parts[parts.length - 1];
    if (typeof last === 'string') parts[parts.length - 1] = last + t;
    else parts.push(t);
  };
  for (const segment of template) {
    if (isStoreRef(segment)) {
      parts.push(pkg(...segment.attr));
      text(segment.path);
    } else {
      text(segment);
    }
  }
  return str(...parts);
}

/** The comment that says where a definition came from: `cloud-config.yml:42`. */
export function originComment(origin: Origin): string {
  return `${origin.file}:${origin.line}`;
}
