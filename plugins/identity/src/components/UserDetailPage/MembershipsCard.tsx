import { InfoCard, Link } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { IdentityMembership } from '@identity-governance/plugin-identity-common';
import { MembershipPath } from '../shared/MembershipPath';
import { shortRef } from '../shared/shortRef';
import { useTableStyles } from '../shared/tableStyles';
import { TruncatedChip } from '../shared/Truncated';
import { useIdentityLinks } from '../shared/useIdentityLinks';

/** Direct memberships first, then inherited ones, each with its path. */
export function MembershipsCard(props: { memberships: IdentityMembership[] }) {
  const links = useIdentityLinks();
  const tableClasses = useTableStyles();
  const sorted = [...props.memberships].sort(
    (a, b) =>
      Number(b.direct) - Number(a.direct) ||
      a.path.length - b.path.length ||
      a.groupRef.localeCompare(b.groupRef),
  );
  const direct = sorted.filter(m => m.direct).length;
  return (
    <InfoCard
      title="Memberships"
      subheader={`${direct} direct, ${sorted.length - direct} inherited`}
      noPadding
    >
      {sorted.length === 0 ? (
        <Box p={2}>
          <Typography>This user belongs to no group.</Typography>
        </Box>
      ) : (
        <Table
          size="small"
          aria-label="Memberships"
          className={tableClasses.table}
        >
          <TableHead>
            <TableRow>
              <TableCell>Group</TableCell>
              <TableCell>Membership</TableCell>
              <TableCell>Path</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {sorted.map(m => (
              <TableRow key={m.groupRef}>
                <TableCell>
                  <Link to={links.group(m.groupRef)}>
                    {m.groupDisplayName ?? shortRef(m.groupRef)}
                  </Link>
                </TableCell>
                <TableCell>
                  <TruncatedChip
                    size="small"
                    label={m.direct ? 'Direct' : 'Inherited'}
                    color={m.direct ? 'primary' : 'default'}
                    variant={m.direct ? 'default' : 'outlined'}
                  />
                </TableCell>
                <TableCell>
                  <MembershipPath path={m.path} />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </InfoCard>
  );
}
