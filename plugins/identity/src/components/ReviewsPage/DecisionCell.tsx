import Button from '@material-ui/core/Button';
import ButtonGroup from '@material-ui/core/ButtonGroup';
import Chip from '@material-ui/core/Chip';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import {
  ReviewDecision,
  ReviewItem,
} from '@identity-governance/plugin-identity-common';
import { shortRef } from '../shared/shortRef';
import { TruncatedText } from '../shared/Truncated';
import { dateTime } from './reviewLabels';
import { RevocationStatus } from './RevocationStatus';

const useStyles = makeStyles(theme => ({
  // Wraps the buttons under the comment rather than widening the table past
  // the page at 1280 px (the Revoke button was cut off there).
  controls: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(1),
  },
  comment: { width: 170 },
  footer: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(1),
    marginTop: theme.spacing(0.5),
  },
}));

const decisionButtons: Array<
  [ReviewDecision, 'primary' | 'secondary', string]
> = [
  ['keep', 'primary', 'Keep'],
  ['revoke', 'secondary', 'Revoke'],
];

const decisionLabels: Record<ReviewDecision, string> = {
  keep: 'Kept',
  revoke: 'Revoked',
};

/** A decision as it stands, with its comment. */
function DecisionShown(props: { item: ReviewItem }) {
  const { decision, comment } = props.item;
  return (
    <div>
      {decision ? (
        <Chip
          size="small"
          color={decision === 'revoke' ? 'secondary' : 'default'}
          label={decisionLabels[decision]}
        />
      ) : (
        <Typography variant="body2" color="textSecondary">
          Undecided
        </Typography>
      )}
      {comment && (
        <Typography variant="caption" component="div">
          <TruncatedText text={comment} maxWidth={220} />
        </Typography>
      )}
    </div>
  );
}

/** Who decided when, and for revokes whether the revocation took effect. */
function DecisionFooter(props: { item: ReviewItem }) {
  const classes = useStyles();
  const { item } = props;
  if (!item.decidedAt && !item.revocation) return null;
  return (
    <div className={classes.footer}>
      {item.decidedAt && (
        <Typography variant="caption" color="textSecondary">
          {dateTime(item.decidedAt)}
          {item.decidedByRef && ` by ${shortRef(item.decidedByRef)}`}
        </Typography>
      )}
      <RevocationStatus item={item} />
    </div>
  );
}

/**
 * The decision of one item: for its reviewer while the campaign is open, a
 * comment and Keep / Revoke (the current decision pressed; deciding again
 * replaces it); for everyone else the decision and comment as they stand.
 * Under either, who decided when and the revocation's follow-up.
 */
export function DecisionCell(props: {
  item: ReviewItem;
  person: string;
  editable: boolean;
  comment: string;
  onComment: (text: string) => void;
  onDecide: (decision: ReviewDecision) => void;
  busy: boolean;
}) {
  const classes = useStyles();
  const { item, person } = props;
  if (!props.editable) {
    return (
      <>
        <DecisionShown item={item} />
        <DecisionFooter item={item} />
      </>
    );
  }
  return (
    <>
      <div className={classes.controls}>
        <TextField
          className={classes.comment}
          size="small"
          variant="outlined"
          placeholder="Comment (optional)"
          value={props.comment}
          onChange={e => props.onComment(e.target.value)}
          inputProps={{ 'aria-label': `Comment on ${person}`, maxLength: 2000 }}
        />
        <ButtonGroup size="small" disabled={props.busy}>
          {decisionButtons.map(([decision, color, label]) => (
            <Button
              key={decision}
              color={color}
              variant={item.decision === decision ? 'contained' : 'outlined'}
              aria-pressed={item.decision === decision}
              onClick={() => props.onDecide(decision)}
            >
              {label}
            </Button>
          ))}
        </ButtonGroup>
      </div>
      <DecisionFooter item={item} />
    </>
  );
}
