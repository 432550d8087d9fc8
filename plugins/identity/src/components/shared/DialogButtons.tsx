import Button from '@material-ui/core/Button';
import DialogActions from '@material-ui/core/DialogActions';

/**
 * Cancel and the dialog's action, both held while its request runs. Without
 * `onConfirm` the action submits the dialog's form.
 */
export function DialogButtons(props: {
  label: string;
  busy: boolean;
  onCancel: () => void;
  onConfirm?: () => void;
  disabled?: boolean;
  /** `secondary` for what cannot be undone. */
  color?: 'primary' | 'secondary';
}) {
  return (
    <DialogActions>
      <Button onClick={props.onCancel} disabled={props.busy}>
        Cancel
      </Button>
      <Button
        type={props.onConfirm ? 'button' : 'submit'}
        color={props.color ?? 'primary'}
        variant="contained"
        onClick={props.onConfirm}
        disabled={props.busy || props.disabled}
      >
        {props.label}
      </Button>
    </DialogActions>
  );
}
