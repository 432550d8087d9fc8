import {
  coreServices,
  createBackendModule,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import {
  createMockDirectory,
  mockServices,
  TestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import notificationsPlugin from '@backstage/plugin-notifications-backend';
import { Notification } from '@backstage/plugin-notifications-common';
import { ReviewCampaign } from '@identity-governance/plugin-identity-common';
import { catalogFile } from '@identity-governance/plugin-identity-node/testUtils';
import {
  ANNOTATION_SCIM_IDP,
  ANNOTATION_SCIM_MANAGER,
} from '@identity-governance/plugin-scim-node';
import request from 'supertest';
import { backendDatabases } from '../__testUtils__/backendDatabase';
import {
  reviewOrganisation,
  reviewUsers,
  startReviewsTestBackend,
} from '../__testUtils__/reviewsTestBackend';
import { userRequests } from '../__testUtils__/userRequests';
import { eventually } from '../__testUtils__/testPolicy';
import { REVIEW_REMINDERS_TASK_ID } from '../plugin';

jest.setTimeout(180_000);

const { ada: ADA, oscar: OSCAR, sam: SAM, dana: DANA } = reviewUsers;

/**
 * The review organisation, where entra provisioned oscar, dana and sam:
 * oscar's manager is dana (same IdP), dana names ada as manager, but ada
 * comes from another source, so that is no manager.
 */
function managedOrganisation(): Entity[] {
  const scim: Record<string, string | undefined> = {
    'oscar.ordinary': DANA,
    'dana.dev': ADA,
    'sam.sre': undefined,
  };
  return reviewOrganisation(1).map(entity =>
    entity.kind === 'User' && entity.metadata.name in scim
      ? {
          ...entity,
          metadata: {
            ...entity.metadata,
            annotations: {
              ...entity.metadata.annotations,
              [ANNOTATION_SCIM_IDP]: 'entra',
              ...(scim[entity.metadata.name]
                ? { [ANNOTATION_SCIM_MANAGER]: scim[entity.metadata.name] }
                : {}),
            },
          },
        }
      : entity,
  );
}

describe.each(backendDatabases.eachSupportedId())(
  'review notifications with the real catalog, permission and notifications backends, on %s',
  databaseId => {
    const mockDir = createMockDirectory();
    let backend: TestBackend;
    let scheduler: SchedulerService;
    const api = userRequests(() => backend.server);

    // The identity plugin's own scheduler, to run the reminder task now.
    const schedulerProbe = createBackendModule({
      pluginId: 'identity',
      moduleId: 'scheduler-probe',
      register(env) {
        env.registerInit({
          deps: { s: coreServices.scheduler },
          async init({ s }) {
            scheduler = s;
          },
        });
      },
    });

    async function notifications(ref: string, campaignId: string) {
      const res = await request(backend.server)
        .get('/api/notifications/notifications')
        .set(await api.as(ref));
      expect(res.status).toBe(200);
      return (res.body.notifications as Notification[]).filter(
        n => n.payload.link === `/identity/reviews/${campaignId}`,
      );
    }
    const summary = (list: Notification[]) =>
      list.map(n => `${n.payload.scope}: ${n.payload.description}`).sort();

    beforeAll(async () => {
      mockDir.setContent({ 'org.yaml': catalogFile(managedOrganisation()) });
      backend = await startReviewsTestBackend({
        databaseId,
        catalogPath: mockDir.resolve('org.yaml'),
        auditor: mockServices.auditor.mock(),
        maxItems: 100,
        features: [notificationsPlugin, schedulerProbe],
      });
      /* eslint-disable jest/no-standalone-expect */
      await eventually(async () => {
        const res = await api.get('/groups/default/squad-a', ADA);
        expect(res.body.totalMemberCount).toBe(1);
        const oscar = await request(backend.server)
          .get('/api/catalog/entities/by-name/user/default/oscar.ordinary')
          .set(await api.as(ADA));
        expect(oscar.body.metadata.annotations[ANNOTATION_SCIM_MANAGER]).toBe(
          DANA,
        );
      }, 150_000);
      /* eslint-enable jest/no-standalone-expect */
    });

    afterAll(async () => {
      await backend?.stop();
    });

    it('assigns managers first, notifies each reviewer of their items only, and reminds once', async () => {
      // Due in a day: inside the default two days of reminderBefore.
      const dueAt = new Date(Date.now() + 86_400_000).toISOString();
      const res = await api.post(
        '/reviews/campaigns',
        {
          name: 'Managers first',
          scope: {
            type: 'groups',
            groups: [
              'group:default/squad-a',
              'group:default/sre',
              'group:default/developers',
            ],
          },
          dueAt,
          defaultReviewers: [SAM],
        },
        ADA,
      );
      expect(res.status).toBe(201);
      const campaign: ReviewCampaign = res.body;

      const items = await api.get(
        `/reviews/campaigns/${campaign.id}/items`,
        ADA,
      );
      const reviewers = Object.fromEntries(
        items.body.items.map((i: { userRef: string; reviewer: string }) => [
          i.userRef,
          i.reviewer,
        ]),
      );
      expect(reviewers).toEqual({
        // The manager, over squad-a's reviewer (sam).
        [OSCAR]: DANA,
        // ada is not of dana's source: the request's default reviewer.
        [DANA]: SAM,
        // No manager: sre's reviewer.
        [SAM]: DANA,
      });

      const day = dueAt.slice(0, 10);
      await eventually(async () => {
        expect(summary(await notifications(DANA, campaign.id))).toEqual([
          `identity-review:${campaign.id}:assigned: You have 2 items to review, due ${day}.`,
        ]);
        expect(summary(await notifications(SAM, campaign.id))).toEqual([
          `identity-review:${campaign.id}:assigned: You have 1 item to review, due ${day}.`,
        ]);
      });
      expect(await notifications(OSCAR, campaign.id)).toEqual([]);
      expect(await notifications(ADA, campaign.id)).toEqual([]);

      // Reassigned to sam: sam's notice is updated, not doubled.
      const oscarItem = items.body.items.find(
        (i: { userRef: string }) => i.userRef === OSCAR,
      );
      const reassigned = await request(backend.server)
        .post(
          `/api/identity/reviews/campaigns/${campaign.id}/items/${oscarItem.id}/reassign`,
        )
        .set(await api.as(ADA))
        .send({ reviewer: SAM });
      expect(reassigned.status).toBe(200);
      await eventually(async () => {
        expect(summary(await notifications(SAM, campaign.id))).toEqual([
          `identity-review:${campaign.id}:assigned: You have 2 items to review, due ${day}.`,
        ]);
      });

      await scheduler.triggerTask(REVIEW_REMINDERS_TASK_ID);
      await eventually(async () => {
        for (const reviewer of [SAM, DANA]) {
          expect(
            (await notifications(reviewer, campaign.id)).filter(
              n =>
                n.payload.scope === `identity-review:${campaign.id}:reminder`,
            ),
          ).toHaveLength(1);
        }
      });
      const reminder = (await notifications(SAM, campaign.id)).find(
        n => n.payload.scope === `identity-review:${campaign.id}:reminder`,
      )!;
      expect(reminder.payload.description).toBe(
        `2 items still to review before ${dueAt}.`,
      );
      expect(await notifications(OSCAR, campaign.id)).toEqual([]);
    });
  },
);
