import { EmptyState, Link, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Paper from '@material-ui/core/Paper';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableContainer from '@material-ui/core/TableContainer';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import AddIcon from '@material-ui/icons/Add';
import { ReviewCampaign } from '@identity-governance/plugin-identity-common';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import useAsync from 'react-use/esm/useAsync';
import { identityApiRef } from '../../api';
import { ErrorState } from '../shared/ErrorState';
import { shortRef } from '../shared/shortRef';
import { useTableStyles } from '../shared/tableStyles';
import { TruncatedText } from '../shared/Truncated';
import { useIdentityLinks } from '../shared/useIdentityLinks';
import { CampaignProgress } from './CampaignProgress';
import { CampaignStatusChip } from './CampaignStatusChip';
import { day, scopeLabel } from './reviewLabels';
import { StartCampaignDialog } from './StartCampaignDialog';
import { useReviewRole } from './useReviewRole';

function CampaignTable(props: { campaigns: ReviewCampaign[] }) {
  const tableClasses = useTableStyles();
  const links = useIdentityLinks();
  return (
    <Paper>
      <TableContainer>
        <Table
          size="small"
          aria-label="Access review campaigns"
          className={tableClasses.table}
        >
          <TableHead>
            <TableRow>
              <TableCell>Campaign</TableCell>
              <TableCell>Scope</TableCell>
              <TableCell>Status</TableCell>
              <TableCell>Due</TableCell>
              <TableCell>Progress</TableCell>
              <TableCell>Created by</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {props.campaigns.map(c => (
              <TableRow key={c.id}>
                <TableCell>
                  <Link to={links.campaign(c.id)}>{c.name}</Link>
                </TableCell>
                <TableCell>
                  <TruncatedText text={scopeLabel(c.scope)} maxWidth={280} />
                </TableCell>
                <TableCell>
                  <CampaignStatusChip status={c.status} />
                </TableCell>
                <TableCell className={tableClasses.nowrap}>
                  {day(c.dueAt)}
                </TableCell>
                <TableCell>
                  <CampaignProgress
                    decided={c.decidedCount}
                    total={c.itemCount}
                    label={`Progress of ${c.name}`}
                  />
                </TableCell>
                <TableCell className={tableClasses.nowrap}>
                  {shortRef(c.createdBy)}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </TableContainer>
    </Paper>
  );
}

/**
 * The campaigns the signed-in user may see: every one for review managers,
 * who start them here; those with items to decide for reviewers.
 */
export function CampaignListPage() {
  const api = useApi(identityApiRef);
  const links = useIdentityLinks();
  const navigate = useNavigate();
  const role = useReviewRole();
  const list = useAsync(() => api.getReviewCampaigns(), [api]);
  const [starting, setStarting] = useState(false);

  if (list.error) return <ErrorState error={list.error} />;
  if (list.loading || role.loading) return <Progress />;
  const campaigns = list.value?.items ?? [];
  return (
    <>
      <Box display="flex" alignItems="center" mb={2}>
        <Typography variant="body2" style={{ flexGrow: 1 }}>
          {role.manager
            ? 'Campaigns ask reviewers to confirm or revoke who has access. Every decision is kept as evidence.'
            : 'Campaigns with access for you to review: keep or revoke each item.'}
        </Typography>
        {role.manager && (
          <Button
            variant="contained"
            color="primary"
            startIcon={<AddIcon />}
            onClick={() => setStarting(true)}
          >
            Start campaign
          </Button>
        )}
      </Box>
      {campaigns.length ? (
        <CampaignTable campaigns={campaigns} />
      ) : (
        <EmptyState
          missing="data"
          title="No access reviews"
          description={
            role.manager
              ? 'No campaign has been started yet.'
              : 'No campaign has items for you to review.'
          }
        />
      )}
      {role.manager && (
        <StartCampaignDialog
          open={starting}
          onClose={() => setStarting(false)}
          onStarted={c => navigate(links.campaign(c.id))}
        />
      )}
    </>
  );
}
