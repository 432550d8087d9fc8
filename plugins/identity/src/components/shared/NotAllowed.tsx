import { EmptyState } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';

/**
 * Shown instead of the page to anyone without `identity.read`: an empty table
 * would read as "there are no users", which is false.
 */
export function NotAllowed(props: { permission?: string }) {
  const permission = props.permission ?? 'identity.read';
  return (
    <EmptyState
      missing="info"
      title="You are not allowed to view identities"
      description={
        <Typography component="span">
          The Identity page lists every user and group and where each record
          comes from. It needs the <code>{permission}</code> permission. Ask a
          platform administrator if you need access.
        </Typography>
      }
    />
  );
}
