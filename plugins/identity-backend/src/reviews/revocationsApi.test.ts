import {
  createMockDirectory,
  mockServices,
  TestBackend,
} from '@backstage/backend-test-utils';
import {
  ReviewCampaign,
  ReviewItem,
  ReviewRevocation,
} from '@identity-governance/plugin-identity-common';
import { catalogFile } from '@identity-governance/plugin-identity-node/testUtils';
import { backendDatabases } from '../__testUtils__/backendDatabase';
import {
  reviewOrganisation,
  reviewUsers,
  startReviewsTestBackend,
} from '../__testUtils__/reviewsTestBackend';
import { userRequests } from '../__testUtils__/userRequests';
import { eventually } from '../__testUtils__/testPolicy';

jest.setTimeout(180_000);

const { ada: ADA, sam: SAM } = reviewUsers;
const FRAN = 'user:default/fran.file';
const SID = 'user:default/sid.scim';
const COMPLIANCE = 'group:default/compliance';
const AUDITORS = 'group:default/auditors';
const VAULT = 'group:default/scim-vault';

/**
 * A revocation as the decision made it. The watch compares pending ones
 * with the catalog after each index refresh, which the scheduler runs at
 * any moment, and stamps checkedAt: a read may come before or after it.
 */
function asDecided(revocation: ReviewRevocation | undefined) {
  const { checkedAt, ...decided } = revocation ?? ({} as ReviewRevocation);
  expect(checkedAt === undefined || !Number.isNaN(Date.parse(checkedAt))).toBe(
    true,
  );
  return decided;
}

/**
 * Beside the demo organisation, written as a person would (block YAML, so
 * that lines mean something): fran in auditors, a child group of compliance;
 * and entities the SCIM module would emit for sid in scim-vault, both ends
 * declaring the membership.
 */
function people(franInAuditors: boolean): string {
  return `---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: compliance
spec:
  type: team
  children: []
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: auditors
spec:
  type: team
  parent: compliance
  children: []
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata:
  name: fran.file
spec:
  profile:
    displayName: Fran <script>alert(1)</script>
    email: fran@example.com
  memberOf:${franInAuditors ? '\n    - auditors' : ' []'}
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: scim-vault
  annotations:
    scim.identity-governance.io/idp: entra
    scim.identity-governance.io/id: grp-vault-1
spec:
  type: team
  profile:
    displayName: Vault Users
  children: []
  members: [sid.scim]
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata:
  name: sid.scim
  annotations:
    scim.identity-governance.io/idp: entra
    scim.identity-governance.io/id: usr-sid-1
    scim.identity-governance.io/user-name: sid@example.com
spec:
  profile:
    email: sid@example.com
  memberOf: [scim-vault]
`;
}

const inFuture = () => new Date(Date.now() + 7 * 86_400_000).toISOString();

describe.each(backendDatabases.eachSupportedId())(
  'revocations and the report with the real catalog, on %s',
  databaseId => {
    const mockDir = createMockDirectory();
    let backend: TestBackend;
    const auditor = mockServices.auditor.mock();
    const api = userRequests(() => backend.server);
    const get = (path: string, ref = ADA) => api.get(`/reviews${path}`, ref);
    const post = (path: string, body: object, ref = ADA) =>
      api.post(`/reviews${path}`, body, ref);
    let content = '';
    const writeCatalog = (franInAuditors: boolean) => {
      content = catalogFile(reviewOrganisation(1)) + people(franInAuditors);
      mockDir.setContent({ 'org.yaml': content });
    };
    /** The 1-based line of the first line of the file holding `text`. */
    const lineOf = (text: string) =>
      content.split('\n').findIndex(l => l.includes(text)) + 1;
    const itemsOf = async (id: string): Promise<ReviewItem[]> => {
      const res = await get(`/campaigns/${id}/items`);
      expect(res.status).toBe(200);
      return res.body.items;
    };

    let campaign: ReviewCampaign;
    /** Where fran's memberOf entry was, before the test removed it. */
    let franLine = 0;

    beforeAll(async () => {
      writeCatalog(true);
      backend = await startReviewsTestBackend({
        databaseId,
        catalogPath: mockDir.resolve('org.yaml'),
        auditor,
        maxItems: 100,
      });
      /* eslint-disable jest/no-standalone-expect */
      await eventually(async () => {
        const res = await api.get('/groups/default/compliance', ADA);
        expect(res.body.totalMemberCount).toBe(1);
        const vault = await api.get('/groups/default/scim-vault', ADA);
        expect(vault.body.totalMemberCount).toBe(1);
      }, 150_000);
      /* eslint-enable jest/no-standalone-expect */
      const created = await post('/campaigns', {
        name: 'Q4 <b>compliance</b>',
        scope: { type: 'groups', groups: [COMPLIANCE, VAULT] },
        dueAt: inFuture(),
        defaultReviewers: [SAM],
      });
      campaign = created.body;
    });

    afterAll(async () => {
      await backend?.stop();
    });

    it('gives the file and line, and the SCIM change, of a revoke', async () => {
      const [fran, sid] = await itemsOf(campaign.id);
      expect([fran.path, sid.path]).toEqual([
        `${FRAN} -> ${AUDITORS} -> ${COMPLIANCE}`,
        `${SID} -> ${VAULT}`,
      ]);
      const decided = await post(
        `/campaigns/${campaign.id}/decisions`,
        {
          decisions: [
            { itemId: fran.id, decision: 'revoke', comment: 'left <team>' },
            { itemId: sid.id, decision: 'revoke' },
          ],
        },
        SAM,
      );
      expect(decided.status).toBe(200);
      const file = mockDir.resolve('org.yaml');
      franLine = lineOf('    - auditors');
      expect(franLine).toBeGreaterThan(0);
      const [franRevoked, sidRevoked] = decided.body.items as ReviewItem[];
      expect(asDecided(franRevoked.revocation)).toEqual({
        status: 'pending',
        steps: [
          {
            kind: 'file',
            source: 'file',
            target: file,
            line: franLine,
            change: `Remove ${AUDITORS} from spec.memberOf of User ${FRAN}`,
          },
          {
            kind: 'file',
            source: 'file',
            target: file,
            line: lineOf('  parent: compliance'),
            change: `Remove ${COMPLIANCE} from spec.parent of Group ${AUDITORS} (this removes every member of ${AUDITORS} from ${COMPLIANCE})`,
          },
        ],
      });
      // Both ends are the IdP's: one step, the change it would send.
      expect(asDecided(sidRevoked.revocation)).toEqual({
        status: 'pending',
        steps: [
          {
            kind: 'scim',
            source: 'scim:entra',
            target: 'entra',
            change: `Remove user sid@example.com from group Vault Users (${VAULT}) in entra: the IdP sends PATCH /Groups/grp-vault-1 with {"op":"remove","path":"members[value eq \\"usr-sid-1\\"]"}`,
          },
        ],
      });
      // Reading the items answers the same.
      expect(
        (await itemsOf(campaign.id)).map(i => asDecided(i.revocation)),
      ).toEqual([
        asDecided(franRevoked.revocation),
        asDecided(sidRevoked.revocation),
      ]);
    });

    it('turns a revocation effective when the catalog no longer has the membership, without a click', async () => {
      // The watch compares after each refresh: a pending one is checked.
      await eventually(async () => {
        const [fran] = await itemsOf(campaign.id);
        expect(fran.revocation?.checkedAt).toBeDefined();
        expect(fran.revocation?.status).toBe('pending');
      });

      writeCatalog(false);
      const [fran, sid] = await eventually(async () => {
        const items = await itemsOf(campaign.id);
        expect(items[0].revocation?.status).toBe('effective');
        return items;
      }, 120_000);
      expect(fran.revocation?.effectiveAt).toMatch(/^\d{4}-.*Z$/);
      expect(fran.revocation?.steps).toHaveLength(2);
      // sid is still in scim-vault: still pending, but compared.
      expect(sid.revocation).toMatchObject({ status: 'pending' });
      expect(sid.revocation?.checkedAt).toBeDefined();
      const effective = auditor.createEvent.mock.calls.find(
        call => call[0].eventId === 'review-revocation-effective',
      );
      expect(effective?.[0].meta).toMatchObject({
        items: [
          {
            campaignId: campaign.id,
            itemId: fran.id,
            userRef: FRAN,
            access: COMPLIANCE,
          },
        ],
      });
    });

    it('exports the revocations and a printable report, escaped, to managers only', async () => {
      const csv = await get(`/campaigns/${campaign.id}/export`);
      expect(csv.status).toBe(200);
      const records = csv.text.trim().split('\r\n');
      expect(records[0]).toMatch(
        /,revocation_status,revocation_effective_at,revocation_checked_at,revocation_steps$/,
      );
      expect(records[1]).toMatch(
        new RegExp(
          `,left <team>,effective,\\d{4}-[^,]*Z,\\d{4}-[^,]*Z,file ${mockDir.resolve(
            'org.yaml',
          )}:${franLine}: Remove ${AUDITORS} from spec.memberOf of User ${FRAN} \\| file `,
        ),
      );

      const report = await get(`/campaigns/${campaign.id}/report`);
      expect(report.status).toBe(200);
      expect(report.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(report.headers['content-security-policy']).toBe(
        "default-src 'none'; style-src 'unsafe-inline'",
      );
      const html = report.text;
      expect(html).toMatch(/^<!DOCTYPE html>/);
      expect(html).toContain('Access review: Q4 &lt;b&gt;compliance&lt;/b&gt;');
      // Names come from IdPs: never markup, and no script at all.
      expect(html).toContain('Fran &lt;script&gt;alert(1)&lt;/script&gt;');
      expect(html).not.toMatch(/<script/i);
      expect(html).toContain('left &lt;team&gt;');
      expect(html).toContain(`${mockDir.resolve('org.yaml')}:${franLine}`);
      expect(html).toContain('PATCH /Groups/grp-vault-1');
      expect(html).toContain('<td class="effective">effective');
      expect(html).toContain('<td class="pending">pending');
      // Per reviewer: sam, both decided revoke.
      expect(html).toMatch(
        /<tr><td class="ref">user:default\/sam\.sre<\/td><td>2<\/td><td>2<\/td><td>0<\/td><td>2<\/td><td>0<\/td><\/tr>/,
      );
      expect(html.match(/<tr><td>\d+<\/td>/g)).toHaveLength(2);
      expect(html.trim()).toMatch(/<\/html>$/);
      expect(
        auditor.createEvent.mock.calls.map(call => call[0].eventId),
      ).toContain('review-campaign-report');

      // A reviewer may not; an unknown campaign is 404, a bad id 400.
      expect((await get(`/campaigns/${campaign.id}/report`, SAM)).status).toBe(
        403,
      );
      expect(
        (await get('/campaigns/00000000-0000-4000-8000-000000000000/report'))
          .status,
      ).toBe(404);
      expect((await get('/campaigns/nope/report')).status).toBe(400);
      expect((await get(`/campaigns/${campaign.id}/report?x=1`)).status).toBe(
        400,
      );
    });
  },
);
