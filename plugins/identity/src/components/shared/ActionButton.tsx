import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import { ReactNode } from 'react';
import { useServerAction } from './useServerAction';

/**
 * An outlined button that runs a request, held while it runs; a failure is
 * posted as an alert with the backend's message. `action` starts within the
 * click, so it may open a window without the browser blocking it.
 */
export function ActionButton(props: {
  label: string;
  icon: ReactNode;
  action: () => Promise<void>;
}) {
  const alertApi = useApi(alertApiRef);
  const { busy, run } = useServerAction();
  return (
    <Button
      variant="outlined"
      color="primary"
      startIcon={props.icon}
      disabled={busy}
      onClick={() =>
        run(props.action, message =>
          alertApi.post({
            message: `${props.label} failed: ${message}`,
            severity: 'error',
          }),
        )
      }
    >
      {props.label}
    </Button>
  );
}
