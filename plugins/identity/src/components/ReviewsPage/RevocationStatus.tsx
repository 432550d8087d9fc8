import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import {
  ReviewItem,
  ReviewRevocation,
  ReviewRevocationStep,
} from '@identity-governance/plugin-identity-common';
import { useState } from 'react';
import { shortRef } from '../shared/shortRef';
import { dateTime } from './reviewLabels';

const useStyles = makeStyles(theme => ({
  steps: { margin: theme.spacing(1, 0), paddingLeft: theme.spacing(3) },
  step: { marginBottom: theme.spacing(1.5) },
  where: { color: theme.palette.text.secondary },
}));

const kindLabels: Record<ReviewRevocationStep['kind'], string> = {
  scim: 'In the identity provider',
  file: 'In the entity file',
  url: 'In the entity file at its URL',
  other: 'At the source',
};

/** Where a step's change is made: the IdP, or the file and line. */
function where(step: ReviewRevocationStep): string {
  const target = step.target
    ? `${step.target}${step.line ? `, line ${step.line}` : ''}`
    : step.source;
  return `${kindLabels[step.kind]} (${step.source}): ${target}`;
}

function statusText(revocation: ReviewRevocation): string {
  return revocation.status === 'effective'
    ? 'Revocation effective'
    : 'Revocation pending';
}

/**
 * A revoke decision's follow-up: whether the catalog shows the access gone,
 * and, in a dialog, what to change at each source that declares it.
 * Nothing for items without one (kept, undecided, or from before).
 */
export function RevocationStatus(props: { item: ReviewItem }) {
  const classes = useStyles();
  const [open, setOpen] = useState(false);
  const { revocation } = props.item;
  if (!revocation) return null;
  const person = props.item.displayName ?? shortRef(props.item.userRef);
  return (
    <>
      <Button
        size="small"
        variant="outlined"
        color={revocation.status === 'effective' ? 'default' : 'secondary'}
        onClick={() => setOpen(true)}
        aria-haspopup="dialog"
      >
        {statusText(revocation)}
      </Button>
      <Dialog
        open={open}
        onClose={() => setOpen(false)}
        aria-labelledby={`revocation-${props.item.id}`}
      >
        <DialogTitle id={`revocation-${props.item.id}`}>
          {statusText(revocation)}: {person}, {shortRef(props.item.access)}
        </DialogTitle>
        <DialogContent>
          <Typography variant="body2">
            {revocation.status === 'effective'
              ? `The catalog no longer shows this access${
                  revocation.effectiveAt
                    ? ` (seen ${dateTime(revocation.effectiveAt)})`
                    : ''
                }.`
              : 'The catalog still shows this access. Make these changes at the sources; the status follows the catalog, not this page.'}
            {revocation.checkedAt &&
              ` Last compared ${dateTime(revocation.checkedAt)}.`}
          </Typography>
          <ol className={classes.steps} aria-label="Revocation steps">
            {revocation.steps.map((step, i) => (
              <li key={i} className={classes.step}>
                <Typography variant="body2">{step.change}</Typography>
                <Typography variant="caption" className={classes.where}>
                  {where(step)}
                </Typography>
              </li>
            ))}
          </ol>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setOpen(false)}>Done</Button>
        </DialogActions>
      </Dialog>
    </>
  );
}
