import { useCallback, useState } from 'react';
import {
  Content,
  Header,
  InfoCard,
  Page,
  ProxiedSignInPage,
  SignInPage,
} from '@backstage/core-components';
import {
  ConfigApi,
  configApiRef,
  IdentityApi,
  SignInPageProps,
  useApi,
} from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';

/** Remembers the chosen user for the tab, so a reload does not ask again. */
const STORAGE_KEY = 'demoSignIn.userEntityRef';

type DemoUser = { userEntityRef: string; title: string; description?: string };

function readDemoUsers(config: ConfigApi): DemoUser[] {
  return (config.getOptionalConfigArray('demoSignIn.users') ?? []).map(c => ({
    userEntityRef: c.getString('userEntityRef'),
    title: c.getString('title'),
    description: c.getOptionalString('description'),
  }));
}

/**
 * Signing out must forget the chosen user, or the proxied sign-in would
 * silently sign the same user in again and nobody could switch.
 */
function forgetOnSignOut(identityApi: IdentityApi): IdentityApi {
  return {
    getProfileInfo: () => identityApi.getProfileInfo(),
    getBackstageIdentity: () => identityApi.getBackstageIdentity(),
    getCredentials: () => identityApi.getCredentials(),
    signOut: async () => {
      window.sessionStorage.removeItem(STORAGE_KEY);
      await identityApi.signOut();
    },
  };
}

/**
 * Development sign-in page: pick a demo user (admin, nested admin, ordinary
 * user, ...) or enter as guest. Backed by the backend's `demo` provider.
 */
export function DemoSignInPage(props: SignInPageProps) {
  const config = useApi(configApiRef);
  const users = readDemoUsers(config);
  const [chosen, setChosen] = useState<string | null>(() =>
    window.sessionStorage.getItem(STORAGE_KEY),
  );
  const { onSignInSuccess } = props;
  const handleSuccess = useCallback(
    (identityApi: IdentityApi) => onSignInSuccess(forgetOnSignOut(identityApi)),
    [onSignInSuccess],
  );

  if (users.length === 0) {
    return <SignInPage {...props} providers={['guest']} />;
  }
  if (chosen) {
    return (
      <ProxiedSignInPage
        {...props}
        onSignInSuccess={handleSuccess}
        provider="demo"
        headers={{ 'x-demo-user': chosen }}
      />
    );
  }
  const choose = (ref: string) => {
    window.sessionStorage.setItem(STORAGE_KEY, ref);
    setChosen(ref);
  };
  return (
    <Page themeId="home">
      <Header title="Sign in to the demo portal" />
      <Content>
        <Typography paragraph>
          Choose who to be. Each user is a real entity of the demo catalog, so
          the permission policy treats them as it would in production.
        </Typography>
        <Grid container spacing={2}>
          {users.map(user => (
            <Grid item xs={12} sm={6} md={4} key={user.userEntityRef}>
              <InfoCard title={user.title} subheader={user.userEntityRef}>
                <Typography paragraph>{user.description}</Typography>
                <Button
                  variant="contained"
                  color="primary"
                  aria-label={`Sign in as ${user.title}`}
                  onClick={() => choose(user.userEntityRef)}
                >
                  Sign in
                </Button>
              </InfoCard>
            </Grid>
          ))}
        </Grid>
      </Content>
    </Page>
  );
}
