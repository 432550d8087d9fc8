import Typography from '@material-ui/core/Typography';
import { GuardedPermissionInfo } from '@identity-governance/plugin-identity-common';
import { shortRef } from '../shared/shortRef';

/** "Granted to admin groups platform-admins; rules[0]: sre; owners." */
export function describeGrants(info: GuardedPermissionInfo): string {
  const parts: string[] = [];
  if (info.adminGroups.length > 0) {
    parts.push(`admin groups ${info.adminGroups.map(shortRef).join(', ')}`);
  }
  for (const rule of info.rules) {
    const whom = [
      ...rule.allowGroups.map(shortRef),
      ...(rule.allowOwners ? ['owners of the entity'] : []),
    ];
    if (whom.length > 0) parts.push(`${rule.rule}: ${whom.join(', ')}`);
  }
  return parts.length > 0
    ? `Granted to ${parts.join('; ')}.`
    : 'Granted to nobody.';
}

/** What grants a guarded permission, in one line. */
export function WhatGrants(props: { info?: GuardedPermissionInfo }) {
  if (!props.info) return null;
  return (
    <Typography variant="body2" color="textSecondary">
      {describeGrants(props.info)}
    </Typography>
  );
}
