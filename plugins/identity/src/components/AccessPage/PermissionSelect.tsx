import TextField from '@material-ui/core/TextField';
import { GuardedPermissionInfo } from '@identity-governance/plugin-identity-common';

/**
 * A native select of the guarded permissions: typing a name jumps to it,
 * and it works the same with a keyboard, a screen reader or a test.
 */
export function PermissionSelect(props: {
  permissions: GuardedPermissionInfo[];
  value: string;
  onChange: (permission: string) => void;
  required?: boolean;
}) {
  return (
    <TextField
      select
      label="Permission"
      variant="outlined"
      size="small"
      value={props.value}
      onChange={e => props.onChange(e.target.value)}
      required={props.required}
      SelectProps={{ native: true }}
      InputLabelProps={{ shrink: true }}
      inputProps={{ 'aria-label': 'Permission' }}
    >
      {!props.value && <option value="">Choose a permission</option>}
      {props.permissions.map(p => (
        <option key={p.name} value={p.name}>
          {p.name}
        </option>
      ))}
    </TextField>
  );
}
