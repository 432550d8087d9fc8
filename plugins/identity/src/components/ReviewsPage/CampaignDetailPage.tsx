import { InfoCard, Link, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { ReviewCampaign } from '@identity-governance/plugin-identity-common';
import { useReducer, useState } from 'react';
import { useParams } from 'react-router-dom';
import useAsync from 'react-use/esm/useAsync';
import { identityApiRef } from '../../api';
import { DownloadButton } from '../shared/DownloadButton';
import { ErrorState } from '../shared/ErrorState';
import { shortRef } from '../shared/shortRef';
import { useIdentityLinks } from '../shared/useIdentityLinks';
import { CampaignProgress } from './CampaignProgress';
import { CampaignStatusChip } from './CampaignStatusChip';
import { CloseCampaignDialog } from './CloseCampaignDialog';
import { ReportButton } from './ReportButton';
import { ReviewerProgressTable } from './ReviewerProgressTable';
import { ReviewItemsPanel } from './ReviewItemsPanel';
import { dateTime, day, scopeLabel } from './reviewLabels';
import { useReviewRole } from './useReviewRole';

const useStyles = makeStyles(theme => ({
  facts: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(2),
    marginBottom: theme.spacing(2),
  },
  actions: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
    marginTop: theme.spacing(2),
  },
}));

/** Name, status, scope, dates, overall progress and the manager's actions. */
function CampaignHeader(props: {
  campaign: ReviewCampaign;
  manager: boolean;
  onClosed: () => void;
}) {
  const classes = useStyles();
  const api = useApi(identityApiRef);
  const { campaign, manager } = props;
  const [closing, setClosing] = useState(false);
  return (
    <Box mb={3}>
      <div className={classes.facts}>
        <Typography variant="h5" component="h2">
          {campaign.name}
        </Typography>
        <CampaignStatusChip status={campaign.status} />
        <Typography variant="body2">{scopeLabel(campaign.scope)}</Typography>
        <Typography variant="body2">Due {day(campaign.dueAt)}</Typography>
        <Typography variant="body2" color="textSecondary">
          Started by {shortRef(campaign.createdBy)} on {day(campaign.createdAt)}
        </Typography>
      </div>
      <CampaignProgress
        decided={campaign.decidedCount}
        total={campaign.itemCount}
        label="Campaign progress"
      />
      {campaign.status === 'closed' && (
        <Typography variant="body2" role="status">
          Closed
          {campaign.closedAt && ` ${dateTime(campaign.closedAt)}`}
          {campaign.closedBy && ` by ${shortRef(campaign.closedBy)}`}: read
          only.
        </Typography>
      )}
      {manager && (
        <div className={classes.actions}>
          <DownloadButton
            download={() => api.exportReviewCampaignCsv(campaign.id)}
            fileName={`review-campaign-${campaign.id}.csv`}
          />
          <ReportButton campaignId={campaign.id} />
          {campaign.status === 'open' && (
            <Button
              variant="outlined"
              color="secondary"
              onClick={() => setClosing(true)}
            >
              Close campaign
            </Button>
          )}
        </div>
      )}
      {closing && (
        <CloseCampaignDialog
          campaign={campaign}
          onClose={() => setClosing(false)}
          onClosed={() => {
            setClosing(false);
            props.onClosed();
          }}
        />
      )}
    </Box>
  );
}

/**
 * One campaign: its header, each reviewer's progress and the items, which
 * its reviewers decide while it is open. A closed campaign is read-only.
 */
export function CampaignDetailPage() {
  const api = useApi(identityApiRef);
  const links = useIdentityLinks();
  const { campaignId = '' } = useParams();
  const role = useReviewRole();
  // Bumped after every change, so the progress and the items follow.
  const [version, changed] = useReducer((n: number) => n + 1, 0);
  const campaign = useAsync(
    () => api.getReviewCampaign(campaignId),
    [api, campaignId, version],
  );
  // Keep showing the campaign while it is read again after a change.
  const [shown, setShown] = useState<ReviewCampaign>();
  if (campaign.value && campaign.value !== shown) setShown(campaign.value);

  if (campaign.error) return <ErrorState error={campaign.error} />;
  if (!shown || shown.id !== campaignId || role.loading) return <Progress />;
  return (
    <>
      <Box mb={2}>
        <Link to={links.reviews}>All campaigns</Link>
      </Box>
      <CampaignHeader
        campaign={shown}
        manager={role.manager}
        onClosed={changed}
      />
      {!!shown.progress?.length && (
        <Box mb={3}>
          <InfoCard title="Reviewers" noPadding>
            <ReviewerProgressTable progress={shown.progress} />
          </InfoCard>
        </Box>
      )}
      <ReviewItemsPanel
        campaign={shown}
        manager={role.manager}
        userRef={role.userRef}
        version={version}
        onChanged={changed}
      />
    </>
  );
}
