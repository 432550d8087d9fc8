import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import { navModule } from './modules/nav';
import { demoSignInModule } from './modules/demoSignIn';

// Other plugins (org, user-settings, ...) are discovered from package.json
// through `app.packages: all` in app-config.yaml.
export default createApp({
  features: [catalogPlugin, navModule, demoSignInModule],
});
