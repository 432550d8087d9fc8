import Chip from '@material-ui/core/Chip';
import { ReviewCampaignStatus } from '@identity-governance/plugin-identity-common';

/** Open campaigns take decisions; closed ones are evidence. */
export function CampaignStatusChip(props: { status: ReviewCampaignStatus }) {
  return props.status === 'open' ? (
    <Chip size="small" color="primary" label="Open" />
  ) : (
    <Chip size="small" label="Closed" />
  );
}
