import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import { userInfoServiceFactory } from '@backstage/backend-defaults/userInfo';
import {
  mockServices,
  startTestBackend,
  TestBackend,
  TestDatabaseId,
} from '@backstage/backend-test-utils';
import { BackendFeature } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import authPlugin from '@backstage/plugin-auth-backend';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import permissionPlugin from '@backstage/plugin-permission-backend';
import { demoOrganisation } from '@identity-governance/plugin-identity-node/testUtils';
import policyModule from '@identity-governance/plugin-permission-backend-module-identity-policy';
import identityPlugin from '../index';
import { REVIEWERS_ANNOTATION } from '../reviews/GroupReviewersReader';
import { accessPolicyConfig } from './accessPolicyConfig';
import { backendDatabaseConfig } from './backendDatabase';
import { testSignInModule } from './testSignInModule';

/** Users of the demo organisation the review tests act as. */
export const reviewUsers = {
  /** In platform-admins: may manage reviews. */
  ada: 'user:default/ada.admin',
  oscar: 'user:default/oscar.ordinary',
  sam: 'user:default/sam.sre',
  dana: 'user:default/dana.dev',
};

/**
 * The demo organisation, where squad-a names sam as its reviewer and sre
 * names dana; stage 2 moves oscar out of squad-a and lonely into it.
 */
export function reviewOrganisation(stage: 1 | 2): Entity[] {
  const reviewers: Record<string, string> = {
    'squad-a': 'user:default/sam.sre',
    sre: 'dana.dev',
  };
  const moved: Record<string, string[]> = {
    'oscar.ordinary': ['developers'],
    'lonely.user': ['squad-a'],
  };
  return demoOrganisation().map(entity => {
    const name = entity.metadata.name;
    if (entity.kind === 'Group' && reviewers[name]) {
      return {
        ...entity,
        metadata: {
          ...entity.metadata,
          annotations: {
            ...entity.metadata.annotations,
            [REVIEWERS_ANNOTATION]: reviewers[name],
          },
        },
      };
    }
    if (stage === 2 && entity.kind === 'User' && moved[name]) {
      return { ...entity, spec: { ...entity.spec, memberOf: moved[name] } };
    }
    return entity;
  });
}

/**
 * A backend with the real catalog, auth, permission backend and identity
 * policy (admins: platform-admins), reading `catalogPath`.
 */
export async function startReviewsTestBackend(options: {
  databaseId: TestDatabaseId;
  catalogPath: string;
  auditor: ReturnType<typeof mockServices.auditor.mock>;
  maxItems: number;
  /** More plugins and modules (the notifications backend, ...). */
  features?: BackendFeature[];
}): Promise<TestBackend> {
  return startTestBackend({
    features: [
      ...(options.features ?? []),
      options.auditor.factory,
      catalogPlugin,
      permissionPlugin,
      policyModule,
      identityPlugin,
      schedulerServiceFactory,
      authPlugin,
      authServiceFactory,
      httpAuthServiceFactory,
      userInfoServiceFactory,
      testSignInModule,
      mockServices.rootConfig.factory({
        data: {
          backend: {
            database: await backendDatabaseConfig(options.databaseId),
          },
          app: { baseUrl: 'http://localhost:3000' },
          auth: { providers: { test: {} } },
          permission: { enabled: true },
          catalog: {
            processingInterval: { seconds: 1 },
            rules: [{ allow: ['User', 'Group', 'Component', 'Location'] }],
            locations: [{ type: 'file', target: options.catalogPath }],
          },
          identity: {
            refresh: { interval: { seconds: 1 } },
            reviews: { maxItems: options.maxItems },
          },
          identityPolicy: accessPolicyConfig,
        },
      }),
    ],
  });
}
