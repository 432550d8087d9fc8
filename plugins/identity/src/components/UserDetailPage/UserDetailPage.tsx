import { InfoCard, Link, Progress } from '@backstage/core-components';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import ArrowBackIcon from '@material-ui/icons/ArrowBack';
import OpenInNewIcon from '@material-ui/icons/OpenInNew';
import {
  IdentityOffboardResult,
  IdentityUserDetail,
} from '@identity-governance/plugin-identity-common';
import { useNavigate, useParams } from 'react-router-dom';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { identityApiRef } from '../../api';
import { ErrorState } from '../shared/ErrorState';
import { sourceLabels } from '../shared/labels';
import { StatusFlagChips } from '../shared/StatusFlagChips';
import { useIdentityLinks } from '../shared/useIdentityLinks';
import { UserAccessCard } from '../AccessPage/UserAccessCard';
import { MembershipsCard } from './MembershipsCard';
import { ProvenanceCard } from './ProvenanceCard';
import { SourceConflictsAlert } from './SourceConflictsAlert';
import { UncountedMembershipsCard } from './UncountedMembershipsCard';
import { UserActions } from './UserActions';
import { userDetailTab, UserDetailTabs } from './UserDetailTabs';
import { IndexFreshness } from '../shared/StaleIndexAlert';

const useStyles = makeStyles(theme => ({
  header: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'flex-start',
    justifyContent: 'space-between',
    gap: theme.spacing(2),
  },
  back: {
    display: 'inline-flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
    marginBottom: theme.spacing(2),
  },
  catalogLink: {
    display: 'inline-flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
  },
}));

function Overview(props: {
  user: IdentityUserDetail;
  onOffboarded: (result: IdentityOffboardResult) => void;
}) {
  const classes = useStyles();
  const links = useIdentityLinks();
  const { user } = props;
  return (
    <InfoCard>
      <div className={classes.header}>
        <div>
          <Typography variant="h5" component="h2">
            {user.displayName ?? user.name}
          </Typography>
          <Typography color="textSecondary">{user.entityRef}</Typography>
          {user.email && <Typography>{user.email}</Typography>}
          <Typography variant="body2">
            Source: {sourceLabels[user.source] ?? user.source}
          </Typography>
          <Box mt={1}>
            <StatusFlagChips flags={user.flags} />
          </Box>
          <Link
            to={links.catalogEntity(user.entityRef)}
            className={classes.catalogLink}
          >
            Open in catalog <OpenInNewIcon fontSize="inherit" />
          </Link>
        </div>
        <UserActions user={user} onOffboarded={props.onOffboarded} />
      </div>
    </InfoCard>
  );
}

/**
 * One user: memberships with their paths, provenance, and the actions; or,
 * on its Access tab, every guarded permission explained.
 */
export function UserDetailPage() {
  const { namespace = '', name = '', '*': rest } = useParams();
  const tab = userDetailTab(rest);
  const api = useApi(identityApiRef);
  const alertApi = useApi(alertApiRef);
  const navigate = useNavigate();
  const classes = useStyles();
  const links = useIdentityLinks();
  const user = useAsyncRetry(
    () => api.getUser({ namespace, name }),
    [api, namespace, name],
  );

  let body;
  if (user.loading && !user.value) {
    body = <Progress />;
  } else if (user.error) {
    body = <ErrorState error={user.error} />;
  } else if (user.value) {
    body = (
      <Grid container spacing={3}>
        <Grid item xs={12}>
          <Overview
            user={user.value}
            onOffboarded={result => {
              alertApi.post({ message: result.message, severity: 'success' });
              // A deleted entity has no detail page left; a deactivated SCIM
              // record stays, now flagged, so show it again.
              if (result.action === 'delete') navigate(links.users);
              else user.retry();
            }}
          />
        </Grid>
        {user.value.sourceConflicts?.length ? (
          <Grid item xs={12}>
            <SourceConflictsAlert conflicts={user.value.sourceConflicts} />
          </Grid>
        ) : null}
        <Grid item xs={12}>
          <UserDetailTabs userRef={user.value.entityRef} value={tab} />
        </Grid>
        {tab === 'access' ? (
          <Grid item xs={12}>
            <UserAccessCard user={{ namespace, name }} />
          </Grid>
        ) : (
          <>
            <Grid item xs={12} lg={7}>
              <MembershipsCard memberships={user.value.memberships} />
              {user.value.uncountedMemberships?.length ? (
                <Box mt={3}>
                  <UncountedMembershipsCard
                    uncounted={user.value.uncountedMemberships}
                  />
                </Box>
              ) : null}
            </Grid>
            <Grid item xs={12} lg={5}>
              <ProvenanceCard provenance={user.value.provenance} />
            </Grid>
          </>
        )}
      </Grid>
    );
  }

  return (
    <>
      <Link to={links.users} className={classes.back}>
        <ArrowBackIcon fontSize="small" /> All users
      </Link>
      <IndexFreshness />
      {body}
    </>
  );
}
