import { InfoCard, Link, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Grid from '@material-ui/core/Grid';
import LinearProgress from '@material-ui/core/LinearProgress';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TablePagination from '@material-ui/core/TablePagination';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import ArrowBackIcon from '@material-ui/icons/ArrowBack';
import { IdentityGroupDetail } from '@identity-governance/plugin-identity-common';
import { useState } from 'react';
import { useParams } from 'react-router-dom';
import useAsync from 'react-use/esm/useAsync';
import { identityApiRef } from '../../api';
import { ErrorState } from '../shared/ErrorState';
import { sourceLabels } from '../shared/labels';
import { MembershipPath } from '../shared/MembershipPath';
import { shortRef } from '../shared/shortRef';
import { useTableStyles } from '../shared/tableStyles';
import { TruncatedChip, TruncatedText } from '../shared/Truncated';
import { useIdentityLinks } from '../shared/useIdentityLinks';

const MEMBERS_PAGE_SIZE = 50;

const useStyles = makeStyles(theme => ({
  back: {
    display: 'inline-flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
    marginBottom: theme.spacing(2),
  },
  refs: { '& > *:not(:last-child)': { marginRight: theme.spacing(1) } },
  progress: { height: 4 },
  // Room for most addresses; a longer one is cut, with a tooltip.
  email: { maxWidth: theme.spacing(25) },
}));

function RefLinks(props: { refs: string[]; empty: string }) {
  const classes = useStyles();
  const links = useIdentityLinks();
  if (props.refs.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary" component="span">
        {props.empty}
      </Typography>
    );
  }
  return (
    <span className={classes.refs}>
      {props.refs.map(ref => (
        <Link key={ref} to={links.group(ref)}>
          {shortRef(ref)}
        </Link>
      ))}
    </span>
  );
}

function Overview(props: { group: IdentityGroupDetail }) {
  const links = useIdentityLinks();
  const { group } = props;
  const filtered = `${links.users}?group=${encodeURIComponent(
    group.entityRef,
  )}`;
  return (
    <InfoCard
      title={group.displayName ?? group.name}
      subheader={group.entityRef}
    >
      <Typography variant="body2">
        Parents: <RefLinks refs={group.parentRefs} empty="none (a root)" />
      </Typography>
      <Typography variant="body2">
        Children: <RefLinks refs={group.childRefs} empty="none" />
      </Typography>
      <Typography variant="body2">
        Members: {group.directMemberCount} direct, {group.totalMemberCount} in
        total
      </Typography>
      <Typography variant="body2">
        Source: {sourceLabels[group.source] ?? group.source}
        {group.managedByLocation && ` (${group.managedByLocation})`}
      </Typography>
      <Typography variant="body2">
        <Link to={filtered}>Members in the users table</Link>
        {' · '}
        <Link to={links.catalogEntity(group.entityRef)}>Open in catalog</Link>
      </Typography>
    </InfoCard>
  );
}

/**
 * A group and its members, direct and inherited through child groups. The
 * members are paged on the server: big groups must not load in one go.
 */
export function GroupDetailPage() {
  const classes = useStyles();
  const tableClasses = useTableStyles();
  const { namespace = '', name = '' } = useParams();
  const api = useApi(identityApiRef);
  const links = useIdentityLinks();
  // The page of members belongs to one group: following a link to another
  // group starts again at its first page.
  const key = `${namespace}/${name}`;
  const [paging, setPaging] = useState({ key, offset: 0 });
  const offset = paging.key === key ? paging.offset : 0;
  const group = useAsync(
    () =>
      api.getGroup({ namespace, name }, { offset, limit: MEMBERS_PAGE_SIZE }),
    [api, namespace, name, offset],
  );

  let body;
  if (group.loading && !group.value) {
    body = <Progress />;
  } else if (group.error) {
    body = <ErrorState error={group.error} />;
  } else if (group.value) {
    const members = group.value.members;
    body = (
      <Grid container spacing={3}>
        <Grid item xs={12}>
          <Overview group={group.value} />
        </Grid>
        <Grid item xs={12}>
          <InfoCard title="Members" noPadding>
            <div className={classes.progress}>
              {group.loading && <LinearProgress />}
            </div>
            <Table
              size="small"
              aria-label="Members"
              className={tableClasses.table}
            >
              <TableHead>
                <TableRow>
                  <TableCell>User</TableCell>
                  <TableCell>Display name</TableCell>
                  <TableCell>Email</TableCell>
                  <TableCell>Membership</TableCell>
                  <TableCell>Path</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {members.items.length === 0 && (
                  <TableRow>
                    <TableCell colSpan={5}>
                      This group has no members, directly or through its child
                      groups.
                    </TableCell>
                  </TableRow>
                )}
                {members.items.map(member => (
                  <TableRow key={member.userRef}>
                    <TableCell className={tableClasses.nowrap}>
                      <Link to={links.user(member.userRef)}>
                        {shortRef(member.userRef)}
                      </Link>
                    </TableCell>
                    <TableCell>{member.displayName}</TableCell>
                    <TableCell>
                      {member.email && (
                        <TruncatedText
                          text={member.email}
                          className={classes.email}
                        />
                      )}
                    </TableCell>
                    <TableCell>
                      <TruncatedChip
                        size="small"
                        label={member.direct ? 'Direct' : 'Inherited'}
                        color={member.direct ? 'primary' : 'default'}
                        variant={member.direct ? 'default' : 'outlined'}
                      />
                    </TableCell>
                    <TableCell>
                      <MembershipPath path={member.path} />
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
            <TablePagination
              component="div"
              count={members.totalItems}
              page={Math.floor(offset / MEMBERS_PAGE_SIZE)}
              rowsPerPage={MEMBERS_PAGE_SIZE}
              rowsPerPageOptions={[MEMBERS_PAGE_SIZE]}
              onPageChange={(_, p) =>
                setPaging({ key, offset: p * MEMBERS_PAGE_SIZE })
              }
            />
          </InfoCard>
        </Grid>
      </Grid>
    );
  }

  return (
    <>
      <Link to={links.groups} className={classes.back}>
        <ArrowBackIcon fontSize="small" /> All groups
      </Link>
      {body}
    </>
  );
}
