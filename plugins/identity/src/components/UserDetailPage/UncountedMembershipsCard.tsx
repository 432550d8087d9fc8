import { InfoCard } from '@backstage/core-components';
import Chip from '@material-ui/core/Chip';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import {
  IdentityUncountedMembership,
  IdentityUncountedReason,
} from '@identity-governance/plugin-identity-common';
import { MembershipPath } from '../shared/MembershipPath';
import { shortRef } from '../shared/shortRef';
import { useTableStyles } from '../shared/tableStyles';
import { TruncatedText } from '../shared/Truncated';

/** How each reason reads, and what it means for the admin. */
export const uncountedReasonLabels: Record<
  IdentityUncountedReason,
  { label: string; help: string }
> = {
  'untrusted-origin': {
    label: 'Untrusted origin',
    help: 'The declaring entity, the group, or this user entity itself comes from an origin in no directory of identityPolicy.directories: a file anyone could register grants nothing.',
  },
  'other-directory': {
    label: "Another directory's group",
    help: 'Declared into a group of another directory, which this directory may not grant into (identityPolicy.directories[].grantsInto).',
  },
  'unknown-group': {
    label: 'No such group',
    help: 'The group is not in the catalog.',
  },
  'max-depth': {
    label: 'Deeper than maxDepth',
    help: 'Further above the direct groups than identityPolicy.membership.maxDepth follows.',
  },
  cycle: {
    label: 'In a cycle',
    help: 'This step leads back to a group already on the path; each group counts once.',
  },
  conflict: {
    label: 'Held as a conflict',
    help: 'Declared by a SCIM group held back because another source provides that group: the identity provider does not provision it, so the membership is not emitted. Resolve it under Source conflicts.',
  },
};

/**
 * Memberships someone declared that neither the policy nor this page counts,
 * with the reason: where a self-promotion attempt shows up.
 */
export function UncountedMembershipsCard(props: {
  uncounted: IdentityUncountedMembership[];
}) {
  const tableClasses = useTableStyles();
  if (!props.uncounted.length) {
    return null;
  }
  return (
    <InfoCard
      title="Memberships that do not count"
      subheader="Declared by some source, ignored by the access policy and by the memberships above"
      noPadding
    >
      <Table
        size="small"
        aria-label="Memberships that do not count"
        className={tableClasses.table}
      >
        <TableHead>
          <TableRow>
            <TableCell>Group</TableCell>
            <TableCell>Reason</TableCell>
            <TableCell>Declared by</TableCell>
            <TableCell>Path</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {props.uncounted.map((u, i) => {
            const reason = uncountedReasonLabels[u.reason] ?? {
              label: u.reason,
              help: u.reason,
            };
            return (
              <TableRow key={`${u.groupRef}-${u.reason}-${i}`}>
                <TableCell>
                  <Typography variant="body2" className={tableClasses.nowrap}>
                    {shortRef(u.groupRef)}
                  </Typography>
                  {u.reaches?.length ? (
                    <Typography
                      variant="caption"
                      color="textSecondary"
                      component="div"
                    >
                      would reach {u.reaches.map(shortRef).join(', ')}
                    </Typography>
                  ) : null}
                </TableCell>
                <TableCell>
                  <Tooltip title={reason.help}>
                    <Chip
                      size="small"
                      variant="outlined"
                      label={reason.label}
                      className={tableClasses.nowrap}
                    />
                  </Tooltip>
                </TableCell>
                <TableCell>
                  <Typography variant="body2" className={tableClasses.nowrap}>
                    {shortRef(u.declaredBy)}
                  </Typography>
                  <Typography
                    variant="caption"
                    color="textSecondary"
                    component="div"
                  >
                    {u.directory ? `directory ${u.directory}` : 'no directory'}
                  </Typography>
                  {u.origin ? (
                    <Typography variant="caption" color="textSecondary">
                      <TruncatedText text={u.origin} maxWidth={160} />
                    </Typography>
                  ) : null}
                </TableCell>
                <TableCell>
                  <MembershipPath path={u.path} />
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </InfoCard>
  );
}
