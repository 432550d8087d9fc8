import { InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import { identityReadPermission } from '@identity-governance/plugin-identity-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import { identityApiRef } from '../../api';
import { ErrorState } from '../shared/ErrorState';
import { shortRef } from '../shared/shortRef';
import { accessSummary, AccessTable } from './AccessTable';
import { PlainRefsContext } from '../shared/plainRefs';

/**
 * What the signed-in user may do and why not: open to every signed-in
 * user, guests included, and all of the Identity page that users without
 * `identity.read` see.
 */
export function MyAccessPage() {
  const api = useApi(identityApiRef);
  const access = useAsync(() => api.getMyAccess(), [api]);
  // Links to users and groups only for those who may open them.
  const reader = usePermission({ permission: identityReadPermission });
  if (access.loading) return <Progress />;
  if (access.error) return <ErrorState error={access.error} />;
  const value = access.value!;
  return (
    <InfoCard
      title="My access"
      subheader={`${shortRef(value.userEntityRef)}: ${accessSummary(
        value.items,
      )}`}
      noPadding
    >
      <Box px={2} py={2}>
        <Typography variant="body2">
          What you may do in this portal that the identity policy guards, and
          why. A denial means that none of your groups grants it; a platform
          administrator can tell you which group does.
        </Typography>
        {!value.userFound && (
          <Typography variant="body2" color="textSecondary">
            The catalog has no user {value.userEntityRef}, so you belong to no
            group.
          </Typography>
        )}
      </Box>
      <PlainRefsContext.Provider value={!reader.allowed}>
        <AccessTable items={value.items} aria-label="My access" />
      </PlainRefsContext.Provider>
    </InfoCard>
  );
}
