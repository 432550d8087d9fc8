import { InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import { identityApiRef } from '../../api';
import { IdentityEntityName } from '../../api/IdentityApi';
import { ErrorState } from '../shared/ErrorState';
import { accessSummary, AccessTable } from './AccessTable';

/**
 * One user's access (the user detail's Access tab): every guarded
 * permission with the identity policy's decision and why.
 */
export function UserAccessCard(props: { user: IdentityEntityName }) {
  const api = useApi(identityApiRef);
  const { namespace, name } = props.user;
  const access = useAsync(
    () => api.getUserAccess({ namespace, name }),
    [api, namespace, name],
  );
  if (access.loading) return <Progress />;
  if (access.error) return <ErrorState error={access.error} />;
  const value = access.value!;
  return (
    <InfoCard title="Access" subheader={accessSummary(value.items)} noPadding>
      {!value.userFound && (
        <Box px={2} pt={2}>
          <Typography color="textSecondary">
            The catalog has no such user, so it belongs to no group.
          </Typography>
        </Box>
      )}
      <AccessTable items={value.items} aria-label="Access" />
    </InfoCard>
  );
}
