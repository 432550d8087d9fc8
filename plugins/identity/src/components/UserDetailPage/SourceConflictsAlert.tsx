import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import { IdentitySourceConflict } from '@identity-governance/plugin-identity-common';

/**
 * SCIM records held back because they would take this user's entity ref:
 * the record shown here keeps it, and the held one grants nothing until an
 * admin adopts the ref for it (the SCIM plugin's adopt call, permission
 * `scim.conflict.adopt`) or its IdP's `adoptFrom` allows this source.
 */
export function SourceConflictsAlert(props: {
  conflicts: IdentitySourceConflict[] | undefined;
}) {
  if (!props.conflicts?.length) {
    return null;
  }
  return (
    <Alert severity="warning" role="region" aria-label="Source conflicts">
      <AlertTitle>Another source claims this user</AlertTitle>
      {props.conflicts.map(c => (
        <Typography variant="body2" key={`${c.idp}/${c.resourceId}`}>
          SCIM {c.resourceType.toLocaleLowerCase('en-US')} {c.resourceId} of
          identity provider <strong>{c.idp}</strong> would take {c.entityRef},
          which {c.otherOrigin} provides. It is held back since{' '}
          {new Date(c.detectedAt).toLocaleString()} and grants nothing until an
          admin adopts the entity for it, or{' '}
          <code>scim.identityProviders[].adoptFrom</code> allows this source.
        </Typography>
      ))}
    </Alert>
  );
}
